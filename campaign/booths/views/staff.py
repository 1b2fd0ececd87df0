"""The booth staff's phone page: /b/<token>. The secret link admits; the PIN, asked once, remembers the device.

Every form works as a plain POST and redirect; static/js/booth.js takes the same forms over, queues each entry on
the phone and sends it to the JSON API (views/staff_api.py), which stores an entry once however often it arrives.
"""

import math
import re
import uuid
from collections.abc import Callable
from typing import Any, cast

import sqlalchemy as sa
from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.booths import device as devices
from campaign.booths import rehearsal
from campaign.booths.blueprint import staff as bp
from campaign.booths.closing import closed_message, entries_closed
from campaign.booths.corrections import (
    may_change_consultation,
    may_withdraw_handout,
    update_consultation,
    withdraw_consultation,
    withdraw_handout,
)
from campaign.booths.desk import recent_entries, today_counts
from campaign.booths.forms import ConsultationForm, PinForm
from campaign.booths.models import (
    KINDS,
    REFERRAL,
    REHEARSAL_OPENED,
    REHEARSAL_PIN,
    SATISFACTIONS,
    Consultation,
    FollowUp,
    MaterialHandout,
    RehearsalRecord,
)
from campaign.booths.on_duty import BoothLike
from campaign.booths.recording import (
    EntriesClosed,
    materials_for,
    record_consultation,
    record_handout,
    topics_for,
)
from campaign.booths.routing import routing_table
from campaign.booths.services import booth_by_staff_token
from campaign.booths.views.offline import PAGE_FORGET, PAGE_HEADER, PAGE_KEEP
from campaign.plan.participants import participants
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

HANDOUT_STEPS = (1, 10)
# What the next entry starts from after a plain (no-JavaScript) save: the page's query carries it.
KEPT = ("kind", "topic", "satisfaction")


def _booth(token: str):
    booth = booth_by_staff_token(token)
    if booth is None:
        abort(make_response(render_template("booths/staff_missing.html"), 404, {PAGE_HEADER: PAGE_FORGET}))
    return booth


def _api_booth(token: str, find: Callable[[str], BoothLike | None] = booth_by_staff_token):
    """The booth and the admitted device, or the API's 404/401. The entry views find the booth with
    `booth_on_duty` (one Core statement: they are the hot path); the summary renders a page and takes the ORM's."""
    booth = find(token)
    if booth is None:
        abort(make_response(jsonify(ok=False, error="booth_not_found"), 404))
    device = devices.current_device(booth)
    if device is None:
        abort(make_response(jsonify(ok=False, error="pin_required"), 401))
    return booth, device


def _device_or_redirect(booth, token: str):
    device = devices.current_device(booth)
    if device is None:
        flash(_("请先输入PIN。"), "error")
        abort(redirect(url_for("booths.staff.open", token=token)))
    return device


def _render_pin(booth, form=None, message: str = "", status: int = 200):
    return render_template("booths/staff_pin.html", booth=booth, form=form or PinForm(), message=message), status


def _consultation_form(booth, formdata=None) -> ConsultationForm:
    form = ConsultationForm(formdata=formdata) if formdata is not None else ConsultationForm()
    topics = topics_for(booth.campaign_id)
    form.set_topics(topics)
    if formdata is None:
        form.uuid.data = str(uuid.uuid4())
        # The next person usually asks about the same thing: kind and topic stay from the last entry, and so does
        # the rating, shown beside 保存 so a kept one is seen at each save (a reset one was silently 未评).
        kind, topic = request.args.get("kind", ""), request.args.get("topic", "")
        rating = request.args.get("satisfaction", "")
        form.kind.data = kind if kind in KINDS else None
        form.topic.data = topic if topic in topics else ""
        form.satisfaction.data = rating if rating in SATISFACTIONS else ""
    return form


def _page_context(booth, device) -> dict:
    consultations_today, handouts_today = today_counts(booth)
    return dict(
        booth=booth,
        consultations_today=consultations_today,
        handouts_today=handouts_today,
        recent=recent_entries(booth, device.device_id),
        token=booth.staff_token,
        closed=closed_message(booth.campaign) if entries_closed(booth.campaign) else "",
    )


def _referral_choices(booth, form: ConsultationForm) -> dict:
    """The units a desk may refer to: those taking part (its own first), and the routing table's suggestions for
    the topic on the form (booth.js swaps them when the topic changes)."""
    units = participants(booth.campaign_id)
    units = [booth.unit] + [unit for unit in units if unit.id != booth.unit_id]
    topics = topics_for(booth.campaign_id)
    routes = routing_table(booth.campaign_id, topics)
    by_id = {unit.id: unit for unit in units}
    suggested = [by_id[unit_id] for unit_id in routes.get(form.topic.data or "", []) if unit_id in by_id]
    return dict(units=units, routes=routes, suggested=suggested)


def _render_booth(booth, device, form=None, status: int = 200):
    form = form or _consultation_form(booth)
    materials = materials_for(booth.campaign_id)
    # Each button is a form of its own with its own UUID: pressing it twice by a slow page still counts once.
    handout_uuids = {material: [str(uuid.uuid4()) for _step in range(len(HANDOUT_STEPS) + 1)] for material in materials}
    return render_template(
        "booths/staff_booth.html",
        form=form,
        referral=_referral_choices(booth, form),
        materials=materials,
        handout_uuids=handout_uuids,
        steps=HANDOUT_STEPS,
        keep={name: request.args[name] for name in KEPT if request.args.get(name)},
        **_page_context(booth, device),
    ), status


@bp.get("/<token>", endpoint="open")
def open_booth(token):
    booth = _booth(token)
    device = devices.current_device(booth)
    if device is None:
        page, status = _render_pin(booth)
        visitor = devices.read_device(booth)
        rehearsal.note_visit(booth, REHEARSAL_OPENED, visitor.device_id if visitor else "", _user_agent())
        return devices.remember_visitor(make_response(page, status, {PAGE_HEADER: PAGE_FORGET}), booth)
    rehearsal.note_visit(booth, REHEARSAL_OPENED, device.device_id, _user_agent())
    response = make_response(_render_booth(booth, device))
    response.headers[PAGE_HEADER] = PAGE_KEEP  # for the service worker (views/offline.py)
    return response


def _user_agent() -> str:
    return request.headers.get("User-Agent", "")


def _paused(booth, form):
    minutes = math.ceil((devices.booth_paused_for(booth) or devices.BOOTH_PAUSE).total_seconds() / 60)
    message = _("这个咨询台的PIN输入错误次数过多，已暂停%(n)s分钟。已登记的手机不受影响；"
                "请联系本单位联络员或组织方更换链接和PIN。", n=minutes)
    return _render_pin(booth, form, message, 429)


@bp.post("/<token>/pin")
def pin(token):
    booth = _booth(token)
    form = PinForm()
    if devices.booth_paused_for(booth):
        return _paused(booth, form)
    key = devices.client_key(booth)
    wait = devices.locked_for(booth, key)
    if wait:
        minutes = math.ceil(wait.total_seconds() / 60)
        return _render_pin(booth, form, _("错误次数太多，请%(n)s分钟后再试。", n=minutes), 429)
    entered = (form.pin.data or "").strip()
    if not re.fullmatch(r"\d{6}", entered):
        return _render_pin(booth, form, _("请输入6位数字PIN。"))
    if not devices.pin_matches(booth, entered):
        left = devices.register_failure(booth, key)
        if devices.booth_paused_for(booth):
            return _paused(booth, form)
        if left == 0:
            minutes = math.ceil(devices.LOCKOUT.total_seconds() / 60)
            return _render_pin(booth, form, _("错误次数太多，请%(n)s分钟后再试。", n=minutes), 429)
        return _render_pin(booth, form, _("PIN不正确，还可以再试%(n)s次。", n=left))
    devices.clear_failures(booth, key)
    known = devices.read_device(booth)
    response = redirect(url_for("booths.staff.open", token=token))
    device_id = known.device_id if known else str(uuid.uuid4())
    rehearsal.note_visit(booth, REHEARSAL_PIN, device_id, _user_agent())
    return devices.remember_device(response, booth, device_id)


@bp.post("/<token>/consultations")
def add_consultation(token):
    booth = _booth(token)
    device = _device_or_redirect(booth, token)
    form = _consultation_form(booth, request.form)
    if form.handling.data == REFERRAL and not form.entry()["referral_unit_id"]:
        # Without JavaScript the suggestions could not follow the topic: now they can, one tap more.
        form.referral_unit_id.errors = [_("请选择转给哪个单位：下面是这个主题的建议单位，也可以从全部参加单位中选。")]
        return _render_booth(booth, device, form)
    try:
        record_consultation(
            booth, form.entry(), form.uuid.data or "", device.device_id, user_agent=_user_agent()
        )
    except EntriesClosed as error:
        flash(error.message, "error")
        return _render_booth(booth, device, form, 409)
    except Refusal as error:
        form.show_errors(error.errors)
        flash(_("未保存：请改正标出的内容。"), "error")
        return _render_booth(booth, device, form)
    flash(_("已保存"), "ok")
    # The next entry starts from this one's kind, topic and rating, as the form had them (a rehearsal entry has no
    # such columns).
    kept = {name: getattr(form, name).data for name in KEPT if getattr(form, name).data}
    return redirect(url_for("booths.staff.open", token=token, **kept))


@bp.post("/<token>/handouts")
def add_handout(token):
    booth = _booth(token)
    device = _device_or_redirect(booth, token)
    material = request.form.get("material", "")
    try:
        recorded = record_handout(
            booth, material, request.form.get("quantity", ""), request.form.get("uuid", ""), device.device_id,
            user_agent=_user_agent(),
        )
    except Refusal as error:
        flash(_("未保存：") + error.message, "error")
    else:
        handout = cast(MaterialHandout | RehearsalRecord, recorded.entry)
        flash(_("已保存：%(material)s +%(n)s", material=handout.material, n=handout.quantity), "ok")
    # The page's own query (its first value of each), kept across the redirect.
    query: dict[str, Any] = request.args.to_dict()
    return redirect(url_for("booths.staff.open", token=token, **query))


def _own_consultation(booth, consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.booth_id != booth.id:
        abort(404)
    return consultation


def _too_late(booth, token: str):
    """Back to the phone's page: past its ten minutes, or once the campaign is closed to entries, only the organizer
    may change an entry."""
    if entries_closed(booth.campaign):
        flash(closed_message(booth.campaign), "error")
    else:
        flash(_("超过10分钟，只能由组织方修改。"), "error")
    abort(redirect(url_for("booths.staff.open", token=token)))


def _changeable_consultation(booth, token: str, consultation_id: int) -> Consultation:
    """The booth's consultation, if this phone may still change it; else back to the page (see `_too_late`)."""
    device = _device_or_redirect(booth, token)
    consultation = _own_consultation(booth, consultation_id)
    if not may_change_consultation(consultation, device.device_id):
        _too_late(booth, token)
    return consultation


@bp.route("/<token>/consultations/<int:consultation_id>/edit", methods=["GET", "POST"])
def edit_consultation(token, consultation_id):
    booth = _booth(token)
    consultation = _changeable_consultation(booth, token, consultation_id)
    if request.method == "POST":
        form = _consultation_form(booth, request.form)
        try:
            update_consultation(consultation, form.entry())
        except Refusal as error:
            form.show_errors(error.errors)
        else:
            flash(_("已修改"), "ok")
            return redirect(url_for("booths.staff.open", token=token))
    else:
        form = ConsultationForm(obj=consultation)
        form.set_topics(topics_for(booth.campaign_id))
        follow_up = db.session.scalar(sa.select(FollowUp.unit_id).where(FollowUp.consultation_id == consultation.id))
        form.referral_unit_id.data = str(follow_up) if follow_up else ""
    return render_template(
        "booths/staff_edit.html", booth=booth, form=form, consultation=consultation, token=token,
        referral=_referral_choices(booth, form),
    )


@bp.post("/<token>/consultations/<int:consultation_id>/withdraw", endpoint="withdraw_consultation")
def withdraw_consultation_view(token, consultation_id):
    booth = _booth(token)
    consultation = _changeable_consultation(booth, token, consultation_id)
    withdraw_consultation(consultation)
    flash(_("已撤回"), "ok")
    return redirect(url_for("booths.staff.open", token=token))


@bp.post("/<token>/handouts/<int:handout_id>/withdraw", endpoint="withdraw_handout")
def withdraw_handout_view(token, handout_id):
    booth = _booth(token)
    device = _device_or_redirect(booth, token)
    handout = db.session.get(MaterialHandout, handout_id)
    if handout is None or handout.booth_id != booth.id:
        abort(404)
    if not may_withdraw_handout(handout, device.device_id):
        _too_late(booth, token)
    withdraw_handout(handout)
    flash(_("已撤回"), "ok")
    return redirect(url_for("booths.staff.open", token=token))
