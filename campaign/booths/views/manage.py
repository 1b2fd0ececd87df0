"""The organizer's booth pages: the list, making and editing booths, their links, cards and settings."""


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.booths import cards as card_making
from campaign.booths import device as devices
from campaign.booths import services
from campaign.booths import settings as booth_settings
from campaign.booths.blueprint import manage as bp
from campaign.booths.file_jobs import CARDS_PDF
from campaign.booths.forms import BoothForm, SettingsForm
from campaign.booths.models import Booth
from campaign.booths.views.exports import started
from campaign.jobs.files import start_file_job
from campaign.plan.models import Campaign
from campaign.units.models import ordered_units
from campaign.web.downloads import attachment
from campaign.web.paging import page_arg
from campaign.web.refusal import Refusal, as_flash, on_form
from campaign.web.scope import current_campaign, owned


def _to_index(campaign_id: int, booth_id: int | None = None):
    return redirect(url_for("booths.manage.index", campaign_id=campaign_id, _anchor=f"booth-{booth_id}" if booth_id else None))


def _flag(name: str, current: bool) -> bool:
    """The state a switch asks for: explicit in the form, so a double click does not switch it back."""
    value = request.form.get(name)
    if value in ("1", "0"):
        return value == "1"
    return not current


@bp.get("/")
def index(campaign_id: int):
    campaign = current_campaign()
    filters = {"q": request.args.get("q", "").strip()[:100], "state": request.args.get("state", "all")}
    if filters["state"] not in services.BOOTH_STATES:
        filters["state"] = "all"
    pagination = services.booth_page(campaign.id, page_arg(request.args), filters["q"], filters["state"])
    booths = list(pagination.items)
    root = request.url_root
    return render_template(
        "booths/index.html",
        campaign=campaign,
        pagination=pagination,
        filters=filters,
        has_booths=services.has_booths(campaign.id),
        groups=services.grouped_by_activity(booths),
        counts=services.booth_counts(campaign.id, [booth.id for booth in booths]),
        staff_urls={booth.id: card_making.staff_url(booth, root) for booth in booths},
        public_urls={booth.id: card_making.public_url(booth, root) for booth in booths},
        has_onsite=bool(services.onsite_activities(campaign.id)),
        paused=devices.paused_booth_ids(booth.id for booth in booths),
        card_layouts=card_making.LAYOUT_LABELS,
    )


@bp.post("/generate")
def generate(campaign_id: int):
    campaign = current_campaign()
    made = services.generate_booths_from_plan(campaign, user=current_user)
    flash(_("已生成 %(n)s 个咨询台", n=made), "success" if made else "info")
    return _to_index(campaign.id)


def _form_with_choices(campaign: Campaign, booth: Booth | None) -> BoothForm:
    form = BoothForm(obj=booth)
    units = ordered_units()
    if booth is not None and booth.unit not in units:
        units.append(booth.unit)
    form.set_choices(units, services.onsite_activities(campaign.id))
    return form


def _booth_form(campaign: Campaign, booth: Booth | None):
    """New and edit share the form and its page: saving adds a booth (`booth` None) or changes this one."""
    form = _form_with_choices(campaign, booth)
    if form.validate_on_submit():
        values = (form.unit_id.data, form.activity_id.data, form.name.data or "")
        try:
            if booth is None:
                saved = services.create_booth(campaign, *values, user=current_user)
            else:
                saved = booth
                services.update_booth(booth, *values, user=current_user)
        except Refusal as error:
            on_form(form, error)
        else:
            if booth is None:
                flash(_("已添加咨询台“%(label)s”。", label=saved.label), "success")
            else:
                flash(_("已保存咨询台“%(label)s”。", label=saved.label), "success")
            return _to_index(campaign.id, saved.id)
    return render_template("booths/form.html", form=form, campaign=campaign, booth=booth)


@bp.route("/new", methods=["GET", "POST"])
def new(campaign_id: int):
    return _booth_form(current_campaign(), None)


@bp.route("/<int:booth_id>/edit", methods=["GET", "POST"])
def edit(campaign_id: int, booth_id: int):
    booth = owned(Booth, booth_id)
    return _booth_form(booth.campaign, booth)


@bp.post("/<int:booth_id>/rotate")
def rotate(campaign_id: int, booth_id: int):
    booth = owned(Booth, booth_id)
    services.rotate_staff_token(booth, user=current_user)
    flash(
        _("已更换“%(label)s”的登记链接和PIN码：旧链接和旧卡片已失效，请重新打印卡片。", label=booth.label), "success"
    )
    return _to_index(campaign_id, booth.id)


def _switched(booth: Booth, set_state, wanted: bool, on: str, off: str):
    """Turn one of the booth's switches (its public card, its being in use) as asked; say which way it went."""
    set_state(booth, wanted, user=current_user)
    flash(on if wanted else off, "success")
    return _to_index(booth.campaign_id, booth.id)


@bp.post("/<int:booth_id>/public")
def toggle_public(campaign_id: int, booth_id: int):
    booth = owned(Booth, booth_id)
    return _switched(
        booth, services.set_public, _flag("enable", booth.public_token is not None),
        on=_("已开启“%(label)s”的公众留言卡。", label=booth.label),
        off=_("已关闭“%(label)s”的公众留言卡，旧卡片已失效。", label=booth.label),
    )


@bp.post("/<int:booth_id>/public/rotate")
def rotate_public(campaign_id: int, booth_id: int):
    booth = owned(Booth, booth_id)
    try:
        services.rotate_public_token(booth, user=current_user)
    except Refusal as error:
        as_flash(error)
    else:
        flash(_("已更换“%(label)s”的公众留言链接，旧卡片已失效。", label=booth.label), "success")
    return _to_index(campaign_id, booth.id)


@bp.post("/<int:booth_id>/active")
def toggle_active(campaign_id: int, booth_id: int):
    booth = owned(Booth, booth_id)
    return _switched(
        booth, services.set_active, _flag("active", booth.active),
        on=_("已启用“%(label)s”。", label=booth.label),
        off=_("已停用“%(label)s”：它的链接暂时打不开，登记的数据仍保留。", label=booth.label),
    )


@bp.route("/settings", methods=["GET", "POST"])
def settings(campaign_id: int):
    campaign = current_campaign()
    current = booth_settings.get_settings(campaign.id)
    form = SettingsForm()
    if not form.is_submitted():
        form.topics.data = "\n".join(current.topics or [])
        form.materials.data = "\n".join(current.materials or [])
        deadlines = booth_settings.deadlines_of(current)
        for name, kind, step in booth_settings.DEADLINE_FIELDS:
            getattr(form, name).data = deadlines[kind][step]
    elif form.validate():
        try:
            booth_settings.update_settings(
                campaign.id, form.topics.data, form.materials.data, form.deadline_days(), user=current_user
            )
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已保存咨询登记设置。"), "success")
            return redirect(url_for("booths.manage.settings", campaign_id=campaign.id))
    return render_template("booths/settings.html", form=form, campaign=campaign)


# Cards and QR codes


def _cards_pdf(campaign: Campaign, booths: list[Booth]) -> bytes:
    # One booth's card: an A6 page unless ?layout=a4 asks for it on an A4 sheet (with its cut lines).
    layout = card_making.SHEET if request.args.get("layout") == card_making.SHEET else card_making.SINGLE
    return card_making.cards_pdf(campaign, booths, request.url_root, request.args.get("pin") == "1", layout=layout)


@bp.get("/<int:booth_id>/card.pdf")
def card(campaign_id: int, booth_id: int):
    booth = owned(Booth, booth_id)
    campaign = booth.campaign
    suffix = "（含PIN）" if request.args.get("pin") == "1" else ""
    return attachment(
        _cards_pdf(campaign, [booth]),
        "application/pdf",
        f"{booth.label}二维码卡片{suffix}.pdf",
        f"booth-{booth.id}-card.pdf",
    )


@bp.post("/cards")
def cards(campaign_id: int):
    """Every active booth's cards, made in the background (a city has hundreds of booths): see views/exports.py."""
    campaign = current_campaign()
    layout = request.form.get("layout", card_making.SHEET)
    if layout not in card_making.LAYOUTS:
        flash(_("请选择卡片版式：A4纸每页4张，或A6纸每页1张。"), "warning")
        return _to_index(campaign.id)
    if not services.has_active_booths(campaign.id):
        flash(_("没有启用的咨询台，无法生成卡片。"), "warning")
        return _to_index(campaign.id)
    job = start_file_job(campaign.id, CARDS_PDF,
                         {"pin": request.form.get("pin") == "1", "root_url": request.url_root, "layout": layout},
                         current_user)
    return started(job)


@bp.get("/<int:booth_id>/qr.svg", defaults={"fmt": "svg"})
@bp.get("/<int:booth_id>/qr.png", defaults={"fmt": "png"})
def qr(campaign_id: int, booth_id: int, fmt: str):
    booth = owned(Booth, booth_id)
    # ?for=public: the public card's code; the staff link's otherwise.
    if request.args.get("for") == "public":
        link = card_making.public_url(booth, request.url_root)
        if link is None:
            abort(404)
        stem = f"booth-{booth.id}-public"
    else:
        link = card_making.staff_url(booth, request.url_root)
        stem = f"booth-{booth.id}-staff"
    if fmt == "svg":
        body = card_making.qr_svg(link).encode("utf-8")
        return attachment(body, "image/svg+xml", f"{stem}.svg", f"{stem}.svg")
    return attachment(card_making.qr_png(link), "image/png", f"{stem}.png", f"{stem}.png")
