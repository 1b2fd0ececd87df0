"""A campaign's booth settings: the topics and materials the phones offer, and the working days a unit is given to
reply to and to close a referral or a call-back, per kind."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from campaign.booths.models import DEFAULT_DEADLINES, DEFAULT_MATERIALS, DEFAULT_TOPICS, BoothSettings
from campaign.shared.audit import record, register_action_labels
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

# Working days a unit may be given to reply to or close a follow-up.
FOLLOW_UP_DAYS_MIN = 1
FOLLOW_UP_DAYS_MAX = 90
# The settings form's deadline fields: (field name, kind, step).
DEADLINE_FIELDS = (
    ("referral_reply_days", "转办", "reply"), ("referral_close_days", "转办", "close"),
    ("call_back_reply_days", "需回访", "reply"), ("call_back_close_days", "需回访", "close"),
)
# The column widths of Consultation.topic and MaterialHandout.material.
LIST_ITEM_MAX_CHARS = 40
LIST_MAX_ITEMS = 50

register_action_labels({"booth_settings_updated": _l("修改登记设置")})


def get_settings(campaign_id: int) -> BoothSettings:
    """The campaign's settings, created with the defaults the first time they are asked for."""
    settings = db.session.get(BoothSettings, campaign_id)
    if settings is None:
        settings = BoothSettings(
            campaign_id=campaign_id,
            topics=list(DEFAULT_TOPICS),
            materials=list(DEFAULT_MATERIALS),
            deadlines={kind: dict(days) for kind, days in DEFAULT_DEADLINES.items()},
        )
        try:
            # In a savepoint: if another request made them first, only this insert is undone.
            with db.session.begin_nested():
                db.session.add(settings)
        except IntegrityError:
            # Another request made them first.
            settings = db.session.get_one(BoothSettings, campaign_id)
    return settings


def parse_lines(text: str, field_name: str, what: str) -> list[str]:
    """One item a line: blank lines dropped, repeats kept once, each short enough for the column it goes in."""
    items: list[str] = []
    for line in (text or "").splitlines():
        item = line.strip()
        if item and item not in items:
            items.append(item)
    if not items:
        raise Refusal(_("请至少填写一项%(what)s。", what=what), field=field_name)
    if len(items) > LIST_MAX_ITEMS:
        raise Refusal(_("%(what)s最多%(n)s项。", what=what, n=LIST_MAX_ITEMS), field=field_name)
    for item in items:
        if len(item) > LIST_ITEM_MAX_CHARS:
            raise Refusal(
                _("“%(item)s”太长：每项不超过%(n)s个字。", item=item[:12] + "…", n=LIST_ITEM_MAX_CHARS),
                field=field_name,
            )
    return items


def deadlines_of(settings: BoothSettings | None) -> dict[str, dict[str, int]]:
    """Working days to reply and to close per kind; the defaults fill whatever the organizer has not set."""
    stored = (settings.deadlines if settings is not None else None) or {}
    return {
        kind: {step: int((stored.get(kind) or {}).get(step) or days) for step, days in steps.items()}
        for kind, steps in DEFAULT_DEADLINES.items()
    }


def update_settings(campaign_id: int, topics_text: str, materials_text: str, days: dict, user=None) -> None:
    """days: the settings form's deadline fields (DEADLINE_FIELDS) by name, whole numbers of working days."""
    topics = parse_lines(topics_text, "topics", _("咨询主题"))
    materials = parse_lines(materials_text, "materials", _("宣传资料"))
    deadlines: dict[str, dict[str, int]] = {}
    for name, kind, step in DEADLINE_FIELDS:
        value = days.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not FOLLOW_UP_DAYS_MIN <= value <= FOLLOW_UP_DAYS_MAX:
            raise Refusal(
                _("期限应在%(min)s到%(max)s个工作日之间。", min=FOLLOW_UP_DAYS_MIN, max=FOLLOW_UP_DAYS_MAX), field=name,
            )
        deadlines.setdefault(kind, {})[step] = value
    for kind, steps in deadlines.items():
        if steps["close"] < steps["reply"]:
            raise Refusal(_("办结期限不能早于答复期限。"), field=f"{'referral' if kind == '转办' else 'call_back'}_close_days")
    settings = get_settings(campaign_id)
    changes = {}
    for attr, value in (("topics", topics), ("materials", materials), ("deadlines", deadlines)):
        if getattr(settings, attr) != value:
            changes[attr] = [getattr(settings, attr), value]
            setattr(settings, attr, value)
    if changes:
        record(user, "booth_settings_updated", settings, campaign_id=campaign_id, changes=changes)
        db.session.flush()
