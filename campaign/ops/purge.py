"""`flask purge-personal-data`: names and phones of consultations are blanked once the retention period after
their campaign has passed (PERSONAL_DATA_RETENTION_DAYS)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import local, utcnow
from campaign.web.extensions import db

register_action_labels({"personal_data_purged": _l("清除个人信息")})


@dataclass
class PurgeResult:
    cutoff: date
    # campaign id → consultations whose name or phone was blanked
    consultations: dict[int, int] = field(default_factory=dict)
    # consultations keeping their contact because their follow-up is still open: the unit must call back
    kept_for_open_follow_ups: int = 0
    pin_failures: int = 0

    @property
    def total(self) -> int:
        return sum(self.consultations.values())


def retention_cutoff(today: date, retention_days: int) -> date:
    """Campaigns whose last day is before this date are past the retention period."""
    return today - timedelta(days=retention_days)


def purge_personal_data(cutoff: date, dry_run: bool = False) -> PurgeResult:
    """Blanks the names and phones of consultations from campaigns that ended before `cutoff`, and the
    addresses kept with their booths' wrong-PIN counts. Idempotent: a second run finds nothing to change.

    Audit-logged per campaign with its count (nothing is logged when nothing changed). Commits unless dry_run.
    """
    from campaign.booths.models import CLOSED, Booth, Consultation, FollowUp, PinFailure
    from campaign.plan.models import Campaign

    result = PurgeResult(cutoff=cutoff)
    ended = sa.select(Campaign.id).where(Campaign.last_day < cutoff)
    of_ended_booths = sa.select(Booth.id).where(Booth.campaign_id.in_(ended))
    has_contact = sa.or_(Consultation.person_name != "", Consultation.person_phone != "")
    still_open = sa.exists().where(FollowUp.consultation_id == Consultation.id, FollowUp.status != CLOSED)
    due = sa.and_(Consultation.booth_id.in_(of_ended_booths), has_contact)

    result.kept_for_open_follow_ups = db.session.execute(
        sa.select(sa.func.count(Consultation.id)).where(due, still_open)
    ).scalar_one()
    per_campaign = db.session.execute(
        sa.select(Booth.campaign_id, sa.func.count(Consultation.id))
        .join(Booth, Booth.id == Consultation.booth_id)
        .where(due, ~still_open)
        .group_by(Booth.campaign_id)
    ).all()
    result.consultations = {campaign_id: count for campaign_id, count in per_campaign}
    result.pin_failures = db.session.execute(
        sa.select(sa.func.count(PinFailure.id)).where(PinFailure.booth_id.in_(of_ended_booths))
    ).scalar_one()
    if dry_run:
        return result

    db.session.execute(
        sa.update(Consultation).where(due, ~still_open).values(person_name="", person_phone="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(PinFailure).where(PinFailure.booth_id.in_(of_ended_booths)))
    campaigns = db.session.scalars(sa.select(Campaign).where(Campaign.id.in_(list(result.consultations))))
    for campaign in campaigns:
        record(None, "personal_data_purged", campaign, campaign_id=campaign.id,
               consultations=result.consultations[campaign.id], cutoff=cutoff.isoformat())
    db.session.commit()
    return result


@click.command("purge-personal-data", help="清除保存期已过的咨询人姓名和电话 (purge names and phones).")
@click.option("--before", "before", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="清除最后一天早于此日期（YYYY-MM-DD）的活动")
@click.option("--older-than-days", type=click.IntRange(min=0), help="清除结束超过 N 天的活动（默认按配置的保存期）")
@click.option("--dry-run", is_flag=True, help="只显示会清除多少，不做修改")
def purge_command(before, older_than_days, dry_run):
    if before is not None and older_than_days is not None:
        raise click.UsageError("--before 和 --older-than-days 只能选一个。")
    if before is not None:
        cutoff = before.date()
    else:
        days = older_than_days if older_than_days is not None else current_app.config["PERSONAL_DATA_RETENTION_DAYS"]
        cutoff = retention_cutoff(local(utcnow()).date(), days)
    result = purge_personal_data(cutoff, dry_run=dry_run)
    verb = "将清除" if dry_run else "已清除"
    click.echo(f"{verb} {result.total} 条咨询登记中的姓名和电话（活动最后一天早于 {cutoff.isoformat()}），"
               f"{result.pin_failures} 条PIN错误记录中的地址。")
    if result.kept_for_open_follow_ups:
        click.echo(f"保留 {result.kept_for_open_follow_ups} 条：其转办/回访尚未办结，办结后再次运行即可清除。")
