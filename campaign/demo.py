"""The demo campaign a newcomer sees on first `make run`."""

DEMO_LOGINS = []


def load_demo() -> None:
    pass
