"""The running tallies under races: the same entries sent by eight phones at once, and one entry withdrawn by two
organizers at once, are each counted once (the checks: tests/booths/tally_checks.py)."""

import random
import uuid

from campaign.booths import board, entries, recording
from campaign.booths.models import Booth, Consultation
from campaign.web.extensions import db
from tests.booths.tally_checks import DAY, assert_exact, at, entry
from tests.racing import at_once


def test_concurrent_copies_count_once(app, three_booths):
    """Eight threads (as server threads) each send the same 30 entries, in their own order, all at once: each is
    stored once, whichever copy wins, and counted once."""
    campaign, booth = three_booths["campaign"], three_booths["booths"][0]
    rng = random.Random(515)
    sent = [
        (str(uuid.uuid4()), entry(topic=rng.choice(["社会保险", "医疗保障"]), handling=rng.choice(["当场解答", "转办"])),
         at(9 + n % 3, n))
        for n in range(30)
    ]
    handouts = [(str(uuid.uuid4()), rng.choice([1, 10])) for _n in range(10)]

    def phone(ready, seed: int) -> list[bool]:
        """→ for each entry it sent, whether its copy was the one stored."""
        order = random.Random(seed)
        mine, theirs = list(sent), list(handouts)
        order.shuffle(mine)
        order.shuffle(theirs)
        own_booth = db.session.get(Booth, booth.id)
        ready()
        created = []
        for client_uuid, fields, moment in mine:
            _row, new, _receipt = recording.record_consultation(
                own_booth, {**fields, "recorded_at": moment}, client_uuid, device_id=f"d{seed}"
            )
            created.append(new)
        for client_uuid, quantity in theirs:
            _row, new, _receipt = recording.record_handout(own_booth, "宣传单", quantity, client_uuid, f"d{seed}", at(9))
            created.append(new)
        return created

    created = [new for phone_created in at_once(app, phone, range(8), timeout=120) for new in phone_created]
    assert sum(created) == 40 and len(created) == 8 * 40
    assert_exact(campaign)
    totals = board.figures(campaign, today=DAY)["totals"]
    assert totals["consultations"] == 30
    assert totals["handouts"] == sum(quantity for _uuid, quantity in handouts)


def test_two_organizers_withdrawing_at_once_withdraw_once(app, three_booths, organizer, factory):
    campaign, booth = three_booths["campaign"], three_booths["booths"][0]
    target = factory.consultation(booth, recorded_at=at(9), handling="转办")

    def withdraw(ready, _organizer) -> bool:
        own = db.session.get(Consultation, target.id)
        user = db.session.merge(organizer)
        ready()
        withdrawn = entries.withdraw_consultation(own, user)
        db.session.commit()
        return withdrawn

    results = at_once(app, withdraw, range(2), timeout=60)
    assert sorted(results) == [False, True]
    assert_exact(campaign)
