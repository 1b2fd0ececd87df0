"""flask users …: accounts from the command line (create, list, set a password, deactivate, activate), through the
same services as the accounts pages, so the same rules hold and the same audit entries are written."""

import click
import sqlalchemy as sa

from campaign.auth.accounts import AccountFields, create_account, set_active, set_password
from campaign.auth.models import ROLES, User
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
        user = create_account(
            None, AccountFields(username, display_name or username.strip(), role, unit_id), password, via="cli"
        )
    except Refusal as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"已创建用户 {user.username} ({user.role})")


@users.command("list")
def list_users():
    for user in db.session.scalars(sa.select(User).order_by(User.id)):
        state = "" if user.active else " [停用]"
        unit = f" {user.unit.name}" if user.unit else ""
        click.echo(f"{user.username}\t{user.role}\t{user.display_name}{unit}{state}")


def _user(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"没有用户“{username}”。")
    return user


@users.command("set-password")
@click.argument("username")
@click.password_option()
def set_password_command(username, password):
    user = _user(username)
    try:
        set_password(None, user, password, via="cli")
    except Refusal as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"已修改 {username} 的密码（其所有登录已退出）")


def _set_active(username: str, active: bool) -> None:
    set_active(None, _user(username), active, via="cli")
    db.session.commit()
    click.echo(f"{'已启用' if active else '已停用'} {username}")


@users.command("deactivate")
@click.argument("username")
def deactivate(username):
    _set_active(username, False)


@users.command("activate")
@click.argument("username")
def activate(username):
    _set_active(username, True)
