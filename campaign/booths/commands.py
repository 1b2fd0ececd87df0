"""flask booths …: maintenance of the booths' data."""

import click
from flask import current_app

from campaign.booths import followup_reminders, tallies
from campaign.shared.mail import smtp_settings
from campaign.web.extensions import db


@click.group("booths", help="咨询台 (booths): maintenance.")
def booths():
    pass


@booths.command("rebuild-tallies")
@click.option("--campaign", "campaign_id", type=int, help="只处理这个活动（活动编号）")
@click.option("--check", is_flag=True, help="只核对，不修改；不一致时退出码为 1")
def rebuild_tallies(campaign_id, check):
    """Recount the live board's tallies from the stored entries (repair after Core bulk changes)."""
    if check:
        expected, stored = tallies.recount(campaign_id), tallies.stored(campaign_id)
        wrong = {key for key in expected.keys() | stored.keys() if expected.get(key, 0) != stored.get(key, 0)}
        if wrong:
            click.echo(f"看板统计与登记记录不一致：{len(wrong)} 项。运行 flask booths rebuild-tallies 重算。")
            raise SystemExit(1)
        click.echo("看板统计与登记记录一致。")
        return
    rows = tallies.rebuild(campaign_id)
    db.session.commit()
    click.echo(f"已按登记记录重算看板统计：{rows} 行。")


@booths.command("remind-referrals")
@click.option("--days", default=followup_reminders.AHEAD_DAYS, show_default=True, type=click.IntRange(0, 30),
              help="提前几个工作日提醒")
@click.option("--url", "base_url", default="", help="本系统的网址（邮件中的办理链接），如 https://gongkai.example.gov.cn")
def remind_referrals(days, base_url):
    """E-mail each unit whose referrals are due within DAYS working days (once a day per unit; run it daily)."""
    reminders = followup_reminders.due_soon(ahead=days)
    if not reminders:
        click.echo("没有即将到期的转办。")
        return
    for reminder in reminders:
        if not reminder.address:
            click.echo(f"{reminder.unit.name}：{len(reminder.items)} 件即将到期，未登记邮箱，未发送。")
    settings = smtp_settings(current_app.config)
    if settings is None or not settings.sender:
        click.echo("未配置邮件服务器（SMTP_HOST、SMTP_FROM），没有发送邮件。")
        raise SystemExit(1)
    link = f"{base_url.rstrip('/')}/follow-ups/" if base_url else "登录系统后打开“转办与回访”"
    sent = followup_reminders.send(settings, reminders, link)
    db.session.commit()
    for reminder in sent:
        outcome = "已发送" if reminder.sent else f"发送失败：{reminder.error}"
        click.echo(f"{reminder.unit.name}（{reminder.address}）：{len(reminder.items)} 件，{outcome}")
