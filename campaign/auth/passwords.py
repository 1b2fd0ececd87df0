"""The password rule, once: how long a password must be. The change-password form, create_user and the
`flask users set-password` command all check it here, so an account made on the command line cannot get a
password the form would refuse."""

MIN_LENGTH = 8
# What the form accepts at most (hashing a megabyte of "password" is work for nothing).
MAX_LENGTH = 128


def password_problem(password: str) -> str | None:
    """Why the password is refused, in Chinese (for the service and the command line), or None."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位。"
    return None
