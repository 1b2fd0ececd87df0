"""The password rule, once: at least 10 characters, not the login, not a common password.

Every place a password is set checks it here — the first sign-in through a link, the password change, the
`flask users` commands, the demo — so no account gets a password one of the others would refuse.

The common passwords are Django's list (django/contrib/auth/common-passwords.txt.gz, 20,000 passwords that
turned up most often in leaked sets, BSD licence; see common-passwords.LICENSE), shipped in this folder and read
once per process.
"""

import gzip
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
# What is accepted at most (hashing a megabyte of "password" is work for nothing).
MAX_LENGTH = 128

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _plain(text: str) -> str:
    return "".join(text.split()).casefold()


def password_problem(password: str, login: str = ""):
    """Why the password is refused (a lazy message: Chinese by default, the user's language in a request), or
    None. `login` is the account's login name, which the password may not be."""
    if len(password) < MIN_LENGTH:
        return _l("密码至少 %(n)d 位。", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("密码不能超过 %(n)d 位。", n=MAX_LENGTH)
    if login and _plain(password) == _plain(login):
        return _l("密码不能与登录名相同。")
    if _plain(password) in common_passwords():
        return _l("这是一个常见密码，很容易被猜中，请换一个。")
    return None


RULE_HINT = _l("至少 %(n)d 位；不能与登录名相同，也不能是常见密码（如 1234567890、password123）。", n=MIN_LENGTH)
