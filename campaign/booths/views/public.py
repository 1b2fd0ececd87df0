"""The public card (公众评价卡): anyone who scans it may leave a question, an opinion or a rating.

No account, so the guards are here: a honeypot field, and limits that suit a crowd sharing one address — per
device, per booth and hour exactly, per address loosely (booths/public_limits.py).
"""

import uuid

import sqlalchemy as sa
from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from campaign.booths import public_limits as limits
from campaign.booths.blueprint import public as bp
from campaign.booths.closing import entries_closed, public_closed_message
from campaign.booths.followups import deadlines_for
from campaign.booths.forms import PublicConsultationForm
from campaign.booths.models import REFERRAL, SOURCE_PUBLIC, UNANSWERED, Booth, Consultation, RehearsalRecord
from campaign.booths.receipts import clean_uuid, code_of
from campaign.booths.recording import record_consultation, topics_for
from campaign.booths.services import booth_by_public_token
from campaign.booths.tallies import hour_start
from campaign.shared.timeutil import local_today, utcnow
from campaign.web.extensions import db, limiter
from campaign.web.refusal import Refusal

# A rating alone still needs one of the kinds the model knows; an opinion about the service is the honest one.
RATING_ONLY_KIND = "意见建议"


def _booth_or_404(public_token: str) -> Booth:
    booth = booth_by_public_token(public_token)
    if booth is None:
        abort(404)
    return booth


def _fields(form: PublicConsultationForm) -> dict:
    consent = bool(form.consent.data) and bool(form.person_name.data or form.person_phone.data)
    return {
        "kind": RATING_ONLY_KIND if form.rating_only else form.kind.data,
        "topic": form.topic.data or "",
        "question": form.question.data,
        "asker_type": "群众",
        "handling": _handling(form, consent),
        "person_name": form.person_name.data if consent else "",
        "person_phone": form.person_phone.data if consent else "",
        "consent": consent,
        "satisfaction": form.satisfaction.data or "",
        "recorded_at": None,
    }


def _handling(form: PublicConsultationForm, consent: bool) -> str:
    """A question left with a way to reach the person is a referral the competent unit owes an answer (routed by
    topic, campaign/booths/routing.py); one without is counted as unanswered, never as answered on the spot."""
    if not form.question.data:
        return "当场解答"  # a rating alone: nothing was asked
    return REFERRAL if consent and form.person_phone.data else UNANSWERED


def _closed_card(booth: Booth):
    return render_template("booths/public_message.html", title=_("活动已结束"),
                           message=public_closed_message(booth.campaign)), 410


def _render_card(booth: Booth, form: PublicConsultationForm, status: int = 200):
    return render_template("booths/public_card.html", booth=booth, form=form), status


@bp.get("/<public_token>", endpoint="open")
def open_card(public_token: str):
    booth = _booth_or_404(public_token)
    if entries_closed(booth.campaign):
        return _closed_card(booth)
    form = PublicConsultationForm()
    form.set_topics(topics_for(booth.campaign_id))
    # A new identity for each rendering: pressing send twice, or resending after a timeout, stores one entry.
    form.client_uuid.data = str(uuid.uuid4())
    page, status = _render_card(booth, form)
    return limits.remember_device(make_response(page, status))


@bp.post("/<public_token>")
@limiter.limit(limits.address_limit, methods=["POST"])
def submit(public_token: str):
    booth = _booth_or_404(public_token)
    form = PublicConsultationForm()
    form.set_topics(topics_for(booth.campaign_id))
    if form.website.data:
        # Answered like a success so the bot learns nothing; nothing is stored.
        return redirect(url_for(".thanks", public_token=public_token))
    if entries_closed(booth.campaign):
        return _closed_card(booth)  # before a slot is claimed: a refused entry is counted nowhere
    if not form.validate_on_submit():
        return _render_card(booth, form)
    device = limits.device_id()
    if limits.device_is_over(device) or not limits.claim_slot(booth):
        abort(429)  # counted as refused by the handler below
    hour = hour_start(utcnow())
    fields = _fields(form)
    try:
        recorded = record_consultation(
            booth, fields, form.client_uuid.data, device_id=device or "", source=SOURCE_PUBLIC,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except Refusal as error:
        limits.release_slot(booth, hour)
        for name, message in error.errors.items():
            field = getattr(form, name, None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message]
            else:
                form.form_errors.append(message)
        return _render_card(booth, form)
    if not recorded.created:
        limits.release_slot(booth, hour)  # the same entry sent again: stored once, counted once
    outcome = {REFERRAL: "reply", UNANSWERED: "no-contact"}.get(fields["handling"])
    return redirect(url_for(".thanks", public_token=public_token, outcome=outcome, entry=form.client_uuid.data))


@bp.get("/<public_token>/thanks")
def thanks(public_token: str):
    booth = _booth_or_404(public_token)
    outcome = request.args.get("outcome")
    # When to expect a reply: the referral's deadline as it is counted for one left today.
    reply_by = deadlines_for(booth, REFERRAL, local_today())[0] if outcome == "reply" else None
    return render_template("booths/public_thanks.html", booth=booth, reply_by=reply_by, no_contact=outcome == "no-contact",
                           receipt=_receipt(booth, request.args.get("entry")))


def _receipt(booth: Booth, entry) -> str:
    """The receipt code of the entry this card stored under that UUID; "" for one it did not (a forged link)."""
    client_uuid = clean_uuid(entry)
    if client_uuid is None:
        return ""
    stored = db.session.scalar(sa.select(Consultation.id).where(
        Consultation.client_uuid == client_uuid, Consultation.booth_id == booth.id))
    if stored is None:  # a rehearsal's test entry has its receipt too
        stored = db.session.scalar(sa.select(RehearsalRecord.id).where(
            RehearsalRecord.client_uuid == client_uuid, RehearsalRecord.booth_id == booth.id))
    return code_of(client_uuid) if stored else ""


@bp.errorhandler(404)
def not_found(error):
    return render_template("booths/public_message.html", title=_("链接无效"), message=_(
        "这个评价卡链接无效或已停用。请扫描咨询台上的二维码，或直接向工作人员咨询。"
    )), 404


@bp.errorhandler(429)
def too_many(error):
    booth = booth_by_public_token((request.view_args or {}).get("public_token", ""))
    if booth is not None:
        limits.count_refusal(booth)
    return render_template("booths/public_message.html", title=_("请稍后再试"), message=_(
        "您提交得太频繁了，或者这个咨询台刚才收到的留言太多。请过一会儿再提交，也可以直接向工作人员咨询。"
    )), 429


@bp.errorhandler(CSRFError)
def expired(error):
    # The page sat open too long or cookies were wiped (WeChat does that): keep what the person typed.
    public_token = (request.view_args or {}).get("public_token", "")
    booth = _booth_or_404(public_token)
    form = PublicConsultationForm(meta={"csrf": True})
    form.set_topics(topics_for(booth.campaign_id))
    form.form_errors.append(_("页面已过期，请检查内容后再提交一次。"))
    return _render_card(booth, form, 400)
