"""The organizer's list of a booth's entries, and the corrections only an organizer may make after ten minutes."""

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from campaign.booths import entries
from campaign.booths.blueprint import entries as bp
from campaign.booths.forms import CorrectionForm
from campaign.booths.models import Booth
from campaign.booths.privacy import mask_name, mask_phone
from campaign.booths.recording import topics_for
from campaign.web.refusal import Refusal, as_flash, refused
from campaign.web.scope import owned


def _listing_args(source) -> dict:
    """The list's filters and page, from the query string or from the hidden fields of an action's form."""
    show = source.get("show", "all")
    state = source.get("state", "all")
    page = source.get("page", "1")
    return {
        "show": show if show in entries.SHOWS else "all",
        "state": state if state in entries.STATES else "all",
        "page": int(page) if page.isdecimal() and len(page) <= 5 and 0 < int(page) < 100_000 else 1,
    }


def _back_to_list(booth: Booth, anchor: str | None = None):
    return redirect(url_for(
        "booths.entries.index", campaign_id=booth.campaign_id, booth_id=booth.id, _anchor=anchor,
        **_listing_args(request.form),
    ))


@bp.get("")
def index(campaign_id: int, booth_id: int):
    booth = owned(Booth, booth_id)
    args = _listing_args(request.args)
    listing = entries.booth_entries(booth, **args)
    return render_template(
        "booths/entries.html", booth=booth, campaign=booth.campaign, listing=listing, args=args,
        person=entries.masked_person,
    )


def _consultation(booth: Booth, consultation_id: int):
    consultation = entries.consultation_of(booth, consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _handout(booth: Booth, handout_id: int):
    handout = entries.handout_of(booth, handout_id)
    if handout is None:
        abort(404)
    return handout


@bp.route("/consultations/<int:consultation_id>/edit", methods=["GET", "POST"])
def edit(campaign_id: int, booth_id: int, consultation_id: int):
    booth = owned(Booth, booth_id)
    consultation = _consultation(booth, consultation_id)
    if consultation.withdrawn_at is not None:
        flash(_("这条登记已撤回，请先恢复再修改。"), "error")
        return _back_to_list(booth, f"consultation-{consultation.id}")
    if request.method == "POST":
        form = CorrectionForm()
        form.set_topics(topics_for(booth.campaign_id))
        if form.validate_on_submit():
            fields = entries.with_kept_contact(consultation, form.entry(), form.clear_contact.data)
            try:
                changes = entries.correct_consultation(consultation, fields, current_user)
            except Refusal as error:
                if not error.per_field:
                    # Withdrawn meanwhile: nothing on the form to correct.
                    as_flash(error)
                    return _back_to_list(booth, f"consultation-{consultation.id}")
                refused(error)
                form.show_errors(error.errors)
                flash(_("未保存：请改正标出的内容。"), "error")
            else:
                flash(_("已修改这条登记。") if changes else _("没有改动。"), "success" if changes else "info")
                return _back_to_list(booth, f"consultation-{consultation.id}")
    else:
        form = CorrectionForm(obj=consultation)
        form.set_topics(topics_for(booth.campaign_id))
        # Name and phone never go to the page in full: it shows them masked, and keeps them if left empty.
        form.person_name.data = form.person_phone.data = ""
    return render_template(
        "booths/entries_edit.html", booth=booth, campaign=booth.campaign, form=form, consultation=consultation,
        stored_name=mask_name(consultation.person_name), stored_phone=mask_phone(consultation.person_phone),
        args=_listing_args(request.values),
    )


# Withdrawing and restoring an entry: per kind of entry and change, the service that does it, what to say when it
# is done, and what to say when the entry already was so.
_CHANGES: dict[tuple[str, str], tuple[Callable[..., bool], Any, Any]] = {
    ("consultation", "withdraw"): (
        entries.withdraw_consultation, _l("已撤回这条登记：它不再计入任何统计。"), _l("这条登记已经撤回。")),
    ("consultation", "restore"): (
        entries.restore_consultation, _l("已恢复这条登记：它重新计入统计。"), _l("这条登记没有撤回，无需恢复。")),
    ("handout", "withdraw"): (
        entries.withdraw_handout, _l("已撤回这条发放记录：它不再计入任何统计。"), _l("这条发放记录已经撤回。")),
    ("handout", "restore"): (
        entries.restore_handout, _l("已恢复这条发放记录：它重新计入统计。"), _l("这条发放记录没有撤回，无需恢复。")),
}


def _switched(booth: Booth, kind: str, entry, change: str):
    """Withdraw or restore the entry; say what happened (or that it already was so), back on the list."""
    service, done, already = _CHANGES[kind, change]
    changed = service(entry, current_user)
    flash(str(done if changed else already), "success" if changed else "info")
    return _back_to_list(booth, f"{kind}-{entry.id}")


@bp.post("/consultations/<int:consultation_id>/withdraw", endpoint="withdraw_consultation", defaults={"change": "withdraw"})
@bp.post("/consultations/<int:consultation_id>/restore", endpoint="restore_consultation", defaults={"change": "restore"})
def switch_consultation(campaign_id: int, booth_id: int, consultation_id: int, change: str):
    booth = owned(Booth, booth_id)
    return _switched(booth, "consultation", _consultation(booth, consultation_id), change)


@bp.post("/handouts/<int:handout_id>/withdraw", endpoint="withdraw_handout", defaults={"change": "withdraw"})
@bp.post("/handouts/<int:handout_id>/restore", endpoint="restore_handout", defaults={"change": "restore"})
def switch_handout(campaign_id: int, booth_id: int, handout_id: int, change: str):
    booth = owned(Booth, booth_id)
    return _switched(booth, "handout", _handout(booth, handout_id), change)
