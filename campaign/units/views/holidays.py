"""节假日与调休: a year's holidays and 调休 workdays (the library's and the office's), adding, changing or removing
the office's days, and reading the State Council's notice pasted in — shown before it is saved."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.shared.timeutil import local_today
from campaign.shared.workdays import DAY_KINDS
from campaign.units import holidays
from campaign.units.blueprint import holidays as bp
from campaign.units.forms import HolidayNoticeForm, OfficeDayForm
from campaign.units.holiday_notice import NOTICE_MAX, read_notice
from campaign.web.refusal import Refusal, as_flash, on_form


def _year(value) -> int:
    try:
        return holidays.checked_year(value)
    except Refusal:
        return local_today().year


def _page(year: int, day_form: OfficeDayForm | None = None, notice_form: HolidayNoticeForm | None = None,
          preview=None, problems=None) -> str:
    notice_form = notice_form or HolidayNoticeForm(year=str(year))
    return render_template(
        "units/holidays.html", year=year, days=holidays.year_days(year), source=holidays.year_source(year),
        kinds=DAY_KINDS, day_form=day_form or OfficeDayForm(), notice_form=notice_form, preview=preview,
        problems=problems or [],
    )


def _to_year(year: int):
    return redirect(url_for("units.holidays.index", year=year))


@bp.get("/")
def index():
    return _page(_year(request.args.get("year")))


@bp.post("/days")
def save_day():
    form = OfficeDayForm()
    year = _year(request.args.get("year"))
    if form.validate_on_submit():
        try:
            row = holidays.save_day(current_user, form.day.data, form.kind.data, form.note.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已保存：%(day)s %(kind)s。", day=row.day.isoformat(), kind=DAY_KINDS[row.kind]), "success")
            return _to_year(row.day.year)
    return _page(year, day_form=form)


@bp.post("/days/remove")
def remove_day():
    year = _year(request.args.get("year"))
    try:
        day = holidays.checked_day(request.form.get("day"))
        removed = holidays.remove_day(current_user, day)
    except Refusal as error:
        as_flash(error)
        return _to_year(year)
    if removed:
        flash(_("已删除本单位对 %(day)s 的设置，这一天按节假日数据或周一至周五计算。", day=day.isoformat()), "success")
    else:
        flash(_("%(day)s 没有本单位的设置，无需删除。", day=day.isoformat()), "info")
    return _to_year(day.year)


@bp.post("/notice")
def notice():
    """First a preview of what the notice gives (nothing saved); 确认保存 (`save`) stores it."""
    form = HolidayNoticeForm()
    year = _year(form.year.data)
    if not form.validate_on_submit():
        return _page(year, notice_form=form)
    try:
        year = holidays.checked_year(form.year.data)
        text = (form.text.data or "").strip()
        if not text:
            raise Refusal(_("请粘贴放假通知的正文。"), field="text")
        if len(text) > NOTICE_MAX:
            raise Refusal(_("通知太长（不超过%(n)s字），请只粘贴各节日的安排。", n=NOTICE_MAX), field="text")
        read = read_notice(text, year)
        if not read.days:
            raise Refusal(_("没有读出放假或上班的日期。请粘贴通知中“一、元旦：1月1日放假……”这样的段落。"), field="text")
        if "save" in request.form:
            changed = holidays.save_notice_days(current_user, read.days)
            flash(_("已按通知保存 %(n)s 天（其中 %(changed)s 天有改动）。", n=len(read.days), changed=changed),
                  "success")
            return _to_year(year)
    except Refusal as error:
        on_form(form, error)
        return _page(year, notice_form=form)
    return _page(year, notice_form=form, preview=holidays.compare_with_calendar(read.days), problems=read.problems)
