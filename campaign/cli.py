"""Every flask command, registered in this one place; each is written in its module's commands.py (or ops/)."""

from flask import Flask


def register(app: Flask) -> None:
    from campaign.auth.commands import users
    from campaign.booths.commands import booths
    from campaign.demo.commands import demo
    from campaign.jobs.commands import queue
    from campaign.ops.backup import backup_command, restore_command
    from campaign.ops.old_backups import prune_backups_command
    from campaign.ops.purge import purge_command
    from campaign.reminders.commands import reminders
    from campaign.report.commands import report

    for command in (users, demo, booths, report, queue, backup_command, restore_command, prune_backups_command,
                    purge_command, reminders):
        app.cli.add_command(command)
