"""The mail server every reminder goes through (summaries' chasing, referrals' deadlines): its settings from the
app's config and one connection. Without SMTP_HOST there is no e-mail, and each caller says what to do instead."""

import smtplib
import ssl
from dataclasses import dataclass

SMTP_TIMEOUT = 20
TLS_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    sender: str
    tls: str


def smtp_settings(config) -> SmtpSettings | None:
    """The mail server from the app's config; None when SMTP_HOST is not set (no e-mail, only the text)."""
    host = (config.get("SMTP_HOST") or "").strip()
    if not host:
        return None
    tls = (config.get("SMTP_TLS") or "starttls").strip().lower()
    return SmtpSettings(
        host=host,
        port=int(config.get("SMTP_PORT") or 587),
        user=config.get("SMTP_USER") or "",
        password=config.get("SMTP_PASSWORD") or "",
        sender=(config.get("SMTP_FROM") or config.get("SMTP_USER") or "").strip(),
        tls=tls if tls in TLS_MODES else "starttls",
    )


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if settings.tls == "ssl":
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SMTP_TIMEOUT, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
        if settings.tls == "starttls":
            server.starttls(context=context)
    if settings.user:
        server.login(settings.user, settings.password)
    return server
