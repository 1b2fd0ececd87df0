from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.units.blueprint import units as bp
from campaign.units.forms import ImportForm, UnitForm
from campaign.units.importing import (
    MAX_FILE_BYTES,
    MAX_IMPORT_ROWS,
    deserialize_rows,
    import_rows,
    parse_file,
    parse_pasted,
    serialize_rows,
    validate_rows,
)
from campaign.units.models import UNIT_KINDS, Unit
from campaign.units.services import (
    create_unit,
    existing_unit_names,
    move_unit,
    set_active,
    unit_overview,
    update_unit,
)
from campaign.web.extensions import db
from campaign.web.paging import page_arg
from campaign.web.refusal import Refusal, as_flash, on_form


def _filters() -> dict:
    """The list's filter, kept across the POST buttons so the organizer lands where they were."""
    kind = request.args.get("kind", "")
    q = request.args.get("q", "").strip()[:100]
    return {key: value for key, value in (("kind", kind if kind in UNIT_KINDS else ""), ("q", q)) if value}


def _back_to_list(unit: Unit | None = None):
    return redirect(url_for("units.index", **_filters(), _anchor=f"unit-{unit.id}" if unit else None))


@bp.get("/")
def index():
    filters = _filters()
    overview = unit_overview(filters.get("kind", ""), filters.get("q", ""), page_arg(request.args))
    return render_template("units/index.html", overview=overview, filters=filters, kinds=UNIT_KINDS)


def _unit_form(unit: Unit | None):
    """New and edit share the form and its page: saving adds a unit (`unit` None) or changes this one."""
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        try:
            if unit is None:
                saved = create_unit(current_user, form.fields())
            else:
                saved = update_unit(current_user, unit, form.fields())
        except Refusal as error:
            on_form(form, error, field="name")
        else:
            if unit is None:
                flash(_("已添加单位“%(name)s”。", name=saved.name), "success")
            else:
                flash(_("已保存单位“%(name)s”。", name=saved.name), "success")
            return _back_to_list(saved)
    return render_template("units/form.html", form=form, unit=unit)


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _unit_form(None)


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
def edit(unit_id: int):
    return _unit_form(db.get_or_404(Unit, unit_id))


@bp.post("/<int:unit_id>/active")
def toggle_active(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    # The wanted state is explicit, so a double click or a resubmitted form cannot flip it back.
    wanted = request.form.get("active")
    if wanted not in ("0", "1"):
        flash(_("请求无效，请重试。"), "error")
    elif set_active(current_user, unit, wanted == "1"):
        if unit.active:
            flash(_("已启用单位“%(name)s”。", name=unit.name), "success")
        else:
            flash(_("已停用单位“%(name)s”：新的活动不再列出它，以往活动中的记录保留。", name=unit.name), "success")
    return _back_to_list(unit)


@bp.post("/<int:unit_id>/move")
def move(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    try:
        move_unit(unit, request.form.get("direction", ""))
    except Refusal as error:
        as_flash(error)
    return _back_to_list(unit)


@bp.route("/import", methods=["GET", "POST"])
def import_units():
    form = ImportForm()
    rows, error = None, None
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "confirm":
                rows = deserialize_rows(form.rows.data)
                units = import_rows(current_user, rows)
                flash(_("已导入 %(n)s 个单位", n=len(units)), "success")
                return redirect(url_for("units.index"))
            rows = _read_rows(form)
            if rows is None:
                error = _("请粘贴单位列表，或选择要上传的文件。")
            elif not rows:
                error = _("没有找到任何单位，请检查内容。")
            else:
                validate_rows(rows, existing_unit_names())
        except Refusal as problem:
            # From the confirmation the rows come back with their problems; nothing has been saved.
            error = str(problem)
    good = bool(rows) and all(row.ok for row in rows or ())
    form.rows.data = serialize_rows(rows) if rows and good else ""
    return render_template(
        "units/import.html",
        form=form,
        rows=rows,
        good=good,
        bad=[row for row in rows or [] if not row.ok],
        error=error,
        kinds=UNIT_KINDS,
        max_rows=MAX_IMPORT_ROWS,
    )


def _read_rows(form: ImportForm):
    """The uploaded file's rows if a file came, else the pasted rows; None if neither."""
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        # One byte past the limit is enough to know the file is too large.
        return parse_file(upload.filename, upload.read(MAX_FILE_BYTES + 1))
    if (form.text.data or "").strip():
        return parse_pasted(form.text.data)
    return None
