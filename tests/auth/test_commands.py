import sqlalchemy as sa

from campaign.auth.models import User
from campaign.web.extensions import db


def _user(username):
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_users_create_list_and_password(app, factory):
    unit = factory.unit("江滨区人社局")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "clerk", "--password", "long-enough-1", "--name", "王甡"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "rs", "--role", "unit", "--unit", "江滨区人社局", "--password", "long-enough-2"]
    )
    assert result.exit_code == 0, result.output
    assert _user("rs").unit_id == unit.id
    assert _user("clerk").check_password("long-enough-1")

    listing = runner.invoke(args=["users", "list"]).output
    assert "clerk" in listing and "江滨区人社局" in listing

    assert runner.invoke(args=["users", "set-password", "clerk", "--password", "another-pass-3"]).exit_code == 0
    db.session.expire_all()
    assert _user("clerk").check_password("another-pass-3")

    assert runner.invoke(args=["users", "deactivate", "clerk"]).exit_code == 0
    db.session.expire_all()
    assert not _user("clerk").active


def test_users_create_refuses_bad_input(app):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "create", "aa", "--password", "short-pw"])
    assert short.exit_code != 0 and "至少 10 位" in short.output
    common = runner.invoke(args=["users", "create", "aa", "--password", "1234567890"])
    assert common.exit_code != 0 and "常见密码" in common.output
    same = runner.invoke(args=["users", "create", "clerk-wang", "--password", "Clerk-Wang"])
    assert same.exit_code != 0 and "登录名相同" in same.output
    no_unit = runner.invoke(args=["users", "create", "bb", "--role", "unit", "--password", "long-enough-1"])
    assert no_unit.exit_code != 0 and "单位" in no_unit.output
    unknown = runner.invoke(args=["users", "create", "cc", "--role", "unit", "--unit", "无此单位", "--password", "long-enough-1"])
    assert unknown.exit_code != 0 and "无此单位" in unknown.output
    runner.invoke(args=["users", "create", "dd", "--password", "long-enough-1"])
    twice = runner.invoke(args=["users", "create", "dd", "--password", "long-enough-1"])
    assert twice.exit_code != 0 and "已被使用" in twice.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
