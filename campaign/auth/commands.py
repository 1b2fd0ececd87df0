"""flask users …: accounts from the command line (create, list, set a password, deactivate, activate)."""

import click
import sqlalchemy as sa

from campaign.auth.models import ROLES, User
from campaign.auth.passwords import password_problem
from campaign.auth.services import create_user
from campaign.shared.audit import record
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal


@click.group(help="管理用户 (manage users).")
def users():
    pass


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="organizer", show_default=True)
@click.option("--unit", "unit_name", help="单位名称 (unit contacts only)")
@click.option("--name", "display_name", default="", help="显示名称")
@click.password_option()
def create(username, role, unit_name, display_name, password):
    unit_id = None
    if unit_name:
        unit = db.session.scalar(sa.select(Unit).where(Unit.name == unit_name))
        if unit is None:
            raise click.ClickException(f"没有名为“{unit_name}”的单位。")
        unit_id = unit.id
    try:
        user = create_user(username, password, role, display_name, unit_id)
    except Refusal as error:
        raise click.ClickException(str(error)) from error
    _audit("user_created", user, role=user.role)
    click.echo(f"已创建用户 {user.username} ({user.role})")


@users.command("list")
def list_users():
    for user in db.session.scalars(sa.select(User).order_by(User.id)):
        state = "" if user.active else " [停用]"
        unit = f" {user.unit.name}" if user.unit else ""
        click.echo(f"{user.username}\t{user.role}\t{user.display_name}{unit}{state}")


def _audit(action: str, user: User, **detail) -> None:
    """Account changes made on the command line are in the audit log too, done by nobody signed in. Commits."""
    record(None, action, user, username=user.username, via="cli", **detail)
    db.session.commit()


def _user(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"没有用户“{username}”。")
    return user


@users.command("set-password")
@click.argument("username")
@click.password_option()
def set_password(username, password):
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    user = _user(username)
    user.set_password(password)
    _audit("password_set", user)
    click.echo(f"已修改 {username} 的密码")


def _set_active(username: str, active: bool) -> None:
    user = _user(username)
    user.active = active
    _audit("user_activated" if active else "user_deactivated", user)
    click.echo(f"{'已启用' if active else '已停用'} {username}")


@users.command("deactivate")
@click.argument("username")
def deactivate(username):
    _set_active(username, False)


@users.command("activate")
@click.argument("username")
def activate(username):
    _set_active(username, True)
