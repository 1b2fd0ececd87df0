"""`flask queue worker`: the consumer that runs background jobs; `flask queue reap`: the reaper, by hand."""

import logging

import click
from flask import current_app

from campaign.jobs.queue import queue_for, reap_and_tidy
from campaign.shared.process import freeze_startup_objects


@click.group(help="后台任务队列 (the task queue).")
def queue():
    pass


@queue.command("worker")
@click.option("--workers", default=2, show_default=True, help="并行执行的任务数（线程）。")
def worker_command(workers: int):
    """运行后台任务（编制总结、大批量导出、二维码卡片）。可在多台机器上各运行一个。"""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a proxy
    freeze_startup_objects()
    # The consumer's main loop installs its signal handlers (SIGTERM/SIGINT stop it, gracefully on SIGINT).
    queue_for(app).consumer(workers).run()


@queue.command("reap")
def reap_command():
    """把后台进程已中断的任务重新排队或标为失败。"""
    reap_and_tidy(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo("done")
