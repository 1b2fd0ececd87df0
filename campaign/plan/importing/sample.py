"""A plan written out as the text a clerk would copy from its Word file: the import page's 示例 (the latest
plan in the app, such as the demo's 2024 one) and the round trip the tests make (document → text → import)."""

import sqlalchemy as sa

from campaign.plan.document import PlanDocument, plan_document
from campaign.plan.models import Activity, Campaign
from campaign.web.extensions import db


def plan_as_text(plan: PlanDocument) -> str:
    lines = [plan.doc_number, plan.notice_title, plan.addressees, *plan.notice_body]
    if plan.attachment_note:
        lines.append(plan.attachment_note)
    lines += [plan.signature, plan.date_text, plan.public_note, "", plan.plan_title, *plan.opening]
    for section in plan.sections:
        lines.append(f"{section.number}{section.title}")
        lines += [f"{paragraph.lead}{paragraph.text}" for paragraph in section.paragraphs]
        for group in section.groups:
            lines.append(f"{group.number}{group.title}")
            for activity in group.activities:
                lines.append(f"{activity.number}{activity.title}")
                if activity.description:
                    lines.append(activity.description)
                lines += [f"{line.label}：{line.text}" for line in activity.lines]
    if plan.slogans:
        lines += ["", plan.attachment_label, plan.attachment_title]
        lines += [f"{number}.{slogan}" for number, slogan in enumerate(plan.slogans, start=1)]
    return "\n".join(line for line in lines if line is not None) + "\n"


def sample_text() -> str:
    """The text of the most recent earlier plan that has activities, or "" when there is none."""
    campaign = db.session.scalar(
        sa.select(Campaign)
        .where(sa.exists().where(Activity.campaign_id == Campaign.id))
        .order_by(Campaign.year.desc(), Campaign.id.desc())
        .limit(1)
    )
    return plan_as_text(plan_document(campaign)) if campaign is not None else ""
