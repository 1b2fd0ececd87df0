"""flask demo load: the demo district, its campaign and every stage's data, with the logins printed."""

import click
import sqlalchemy as sa
from flask import current_app

from campaign.web.extensions import db


@click.group(help="演示数据 (demo data).")
def demo():
    pass


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="只在数据库里还没有活动时加载")
def load(if_empty):
    from campaign.demo.load import DEMO_LOGINS, load_demo
    from campaign.plan.models import Campaign

    if if_empty and db.session.scalar(sa.select(sa.func.count(Campaign.id))):
        click.echo("数据库已有数据，未加载演示数据。")
    else:
        load_demo()
        click.echo("已加载演示活动。")
    click.echo(f"打开 http://127.0.0.1:5000 （数据库：{current_app.config['SQLALCHEMY_DATABASE_URI']}）")
    click.echo("演示账号：")
    for username, password, role in DEMO_LOGINS:
        click.echo(f"  {username:<12} {password:<18} {role}")
    _echo_demo_booth()


def _echo_demo_booth() -> None:
    from campaign.booths.models import Booth
    from campaign.demo.booths import DEMO_BOOTH_PIN

    booth = db.session.scalar(sa.select(Booth).where(Booth.pin == DEMO_BOOTH_PIN).order_by(Booth.id.desc()).limit(1))
    if booth is not None:
        click.echo(f"手机登记演示（{booth.unit.name}咨询台）：http://127.0.0.1:5000/b/{booth.staff_token}  PIN {booth.pin}")
