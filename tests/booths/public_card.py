"""What the public card's tests share: the card's page, its form as a browser would send it, a question sent."""

import re


def card(client, booth) -> str:
    response = client.get(f"/p/{booth.public_token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def card_form(client, booth) -> dict:
    page = card(client, booth)
    return {
        "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1),
        "client_uuid": re.search(r'name="client_uuid"[^>]*value="([^"]+)"', page).group(1),
    }


def send(client, booth, **fields):
    data = card_form(client, booth)
    data.update({"kind": "政策咨询", "question": "灵活就业人员怎么参加养老保险？"})
    data.update(fields)
    return client.post(f"/p/{booth.public_token}", data=data)
