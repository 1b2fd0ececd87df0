"""A real SMTP server for the tests (aiosmtpd on a loopback port) that keeps what it receives and refuses one
address as a real server would; the `smtp_server` fixture in tests/conftest.py starts one per test."""

import email
from email import policy

REFUSED = "nobody@refused.example"


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"
