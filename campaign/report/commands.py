"""`flask report compile <campaign_id>`: the background job, run in the foreground (operators, the bench)."""

import click
from flask import current_app

from campaign.plan.models import Campaign
from campaign.report.jobs import job_status, run_job, start_job
from campaign.report.models import JOB_DONE, ReportJob, ReportSnapshot
from campaign.web.extensions import db


@click.group(help="区级活动总结 (the district report).")
def report():
    pass


@report.command("compile")
@click.argument("campaign_id", type=int)
def compile_command(campaign_id):
    """编制区级总结并导出 PDF、Word、Excel（与页面上的后台任务相同）。"""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"没有编号为 {campaign_id} 的活动。")
    job, created = start_job(campaign, None, background=False)
    if not created:
        raise click.ClickException(f"该活动已有编制任务在进行（任务 {job.id}），请等它完成后再试。")
    job_id = job.id
    # End this session's read transaction: the job writes through connections of its own.
    db.session.rollback()
    run_job(current_app._get_current_object(), job_id)  # type: ignore[attr-defined]  # current_app is a proxy
    job = db.session.get_one(ReportJob, job_id)
    status = job_status(job)
    if job.status != JOB_DONE:
        raise click.ClickException(f"编制失败：{status['error']}")
    snapshot = db.session.get_one(ReportSnapshot, job.snapshot_id)
    click.echo(f"已完成：快照 {snapshot.id}")
    for item in snapshot.files:
        click.echo(f"  {item['kind']:<5} {item['bytes']:>10} 字节  {item['path']}")
