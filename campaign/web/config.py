"""Settings from environment variables, with defaults that run on one machine."""

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated on first start and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        # Written whole under another name, then linked: when several workers start at once, one link wins
        # and every worker reads that same, complete key.
        draft = instance_path / f"secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text().strip()


def load_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'campaign.db'}"),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance / "uploads")),
        # Where an office drops its licensed fonts (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312, 黑体 …) for the PDFs.
        "FONTS_DIR": os.environ.get("FONTS_DIR", str(instance / "fonts")),
        # One uploaded photo: its file size, and its width × height (checked from the header, before decoding).
        "PHOTO_MAX_BYTES": int(os.environ.get("PHOTO_MAX_BYTES", 25 * 1024 * 1024)),
        "PHOTO_MAX_PIXELS": int(os.environ.get("PHOTO_MAX_PIXELS", 40_000_000)),
        # The task queue (campaign/jobs/queue.py): empty for a SQLite file in instance/, or redis://… for several
        # machines. A running job beats every JOB_HEARTBEAT_SECONDS; silent for JOB_STALE_SECONDS it is taken for
        # dead and run again (up to JOB_MAX_ATTEMPTS runs in all) or failed.
        "HUEY_URL": os.environ.get("HUEY_URL", ""),
        "JOB_HEARTBEAT_SECONDS": int(os.environ.get("JOB_HEARTBEAT_SECONDS", "5")),
        "JOB_STALE_SECONDS": int(os.environ.get("JOB_STALE_SECONDS", "30")),
        "JOB_MAX_ATTEMPTS": int(os.environ.get("JOB_MAX_ATTEMPTS", "2")),
        "JOB_REAP_SECONDS": int(os.environ.get("JOB_REAP_SECONDS", "10")),
        "JOB_QUEUE_STALE_MINUTES": int(os.environ.get("JOB_QUEUE_STALE_MINUTES", "15")),
        # Jobs' temporary folders (one per job, removed when it ends or its worker is found dead).
        "JOB_SCRATCH_DIR": os.environ.get("JOB_SCRATCH_DIR", str(instance / "job-scratch")),
        # Rows a sheet of an XLSX export holds before the table goes on in the next sheet (Excel's limit at most).
        "XLSX_MAX_ROWS_PER_SHEET": int(os.environ.get("XLSX_MAX_ROWS_PER_SHEET", "1048575")),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LANGUAGES": ["zh_CN", "en"],
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        # How long a one-time sign-in link (an invitation or a reset) works.
        "SIGN_IN_LINK_DAYS": int(os.environ.get("SIGN_IN_LINK_DAYS", "7")),
        # The public card's limits (booths/public_limits.py): per device, per booth and hour, per address.
        "PUBLIC_DEVICE_LIMIT": int(os.environ.get("PUBLIC_DEVICE_LIMIT", "5")),
        "PUBLIC_BOOTH_HOURLY_CAP": int(os.environ.get("PUBLIC_BOOTH_HOURLY_CAP", "200")),
        "PUBLIC_RATE_LIMIT": os.environ.get("PUBLIC_RATE_LIMIT", "60 per 10 minutes"),
        # Entries are taken until this many days after the campaign's last day, or its close (booths/closing.py).
        "BOOTH_GRACE_DAYS": int(os.environ.get("BOOTH_GRACE_DAYS", "3")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 64 * 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": os.environ.get("SECURE_COOKIES", "") == "1",
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A login lasts this long from sign-in: the server refuses an older session cookie, whatever the browser
        # kept (Flask checks the cookie's signed timestamp against this lifetime).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=float(os.environ.get("SESSION_HOURS", "12"))),
        # Names and phones of consultations are blanked by `flask purge-personal-data` this many days after the
        # campaign's last day.
        "PERSONAL_DATA_RETENTION_DAYS": int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "180")),
        "WTF_CSRF_TIME_LIMIT": None,
        # Reminder e-mails to units; no SMTP_HOST, no e-mail (the reminder text is still there to paste).
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_FROM": os.environ.get("SMTP_FROM", ""),
        # starttls (port 587), ssl (port 465) or none (a relay on the same machine or network).
        "SMTP_TLS": os.environ.get("SMTP_TLS", "starttls").strip().lower(),
    }
