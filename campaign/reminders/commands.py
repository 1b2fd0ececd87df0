"""`flask reminders run-due`: the due reminders sent now, for cron where no queue consumer runs."""

import click

from campaign.reminders.sending import run_due
from campaign.web.extensions import db


@click.group(help="自动提醒 (scheduled reminders).")
def reminders():
    pass


@reminders.command("run-due")
def run_due_command():
    """发送已到时间的提醒（每条提醒对每个收件人只发一次；可与后台进程同时运行）。"""
    sent = run_due()
    db.session.commit()
    click.echo(f"sent {sent}")
