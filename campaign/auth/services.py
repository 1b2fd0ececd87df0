import sqlalchemy as sa

from campaign.auth.models import ROLE_ORGANIZER, ROLES, User
from campaign.auth.passwords import password_problem
from campaign.web.extensions import db
from campaign.web.refusal import Refusal


def authenticate(username: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.username == username.strip()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def note_login_failure(username: str) -> None:
    """A refused sign-in goes into the audit log, with the name tried (the user's, if it exists).

    Stored with the request (the sign-in page answers 200 after a failure, so the request commits)."""
    from campaign.shared.audit import record

    tried = (username or "").strip()[:64]
    user = db.session.scalar(sa.select(User).where(User.username == tried)) if tried else None
    event = record(None, "login_failed", user, username=tried)
    event.object_type = "User"


def create_user(username: str, password: str, role: str, display_name: str = "", unit_id: int | None = None) -> User:
    username = username.strip()
    if not username:
        raise Refusal("用户名不能为空。")
    if role not in ROLES:
        raise Refusal(f"角色必须是 {', '.join(ROLES)} 之一。")
    if role != ROLE_ORGANIZER and unit_id is None:
        raise Refusal("单位联络员必须属于一个单位。")
    problem = password_problem(password)
    if problem:
        raise Refusal(problem)
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Refusal(f"用户名“{username}”已存在。")
    user = User(username=username, role=role, display_name=display_name or username, unit_id=unit_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
