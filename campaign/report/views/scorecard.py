"""The scorecard's pages, on the report blueprint: the rules of a campaign, its settings (partial credit, too few
records), the computed table with how each rule's points came about, and the manual adjustments."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.plan.models import Campaign
from campaign.report import scorecard, scoring, selection
from campaign.report.blueprint import scorecard as bp
from campaign.report.compile import compile_report
from campaign.report.forms import AdjustmentForm, ConfirmForm, ScoreRuleForm, ScoringForm
from campaign.report.models import ReportDraft, ScorecardSettings, ScoreRule
from campaign.web.extensions import db
from campaign.web.refusal import Refusal, on_form
from campaign.web.scope import current_campaign, owned


def _to_scorecard(campaign_id: int, anchor: str | None = None):
    return redirect(url_for("report.scorecard.index", campaign_id=campaign_id, _anchor=anchor))


def _page(campaign: Campaign, new_form: ScoreRuleForm, failed_rule: ScoreRule | None = None,
          failed_form: ScoreRuleForm | None = None, status: int = 200, scoring_form: ScoringForm | None = None,
          adjustment_form: AdjustmentForm | None = None):
    rules = scorecard.campaign_rules(campaign.id)
    forms = {rule.id: (failed_form if failed_rule is not None and rule.id == failed_rule.id
                       else ScoreRuleForm(formdata=None, obj=rule, prefix=f"r{rule.id}")) for rule in rules}
    figures = compile_report(campaign)
    draft = db.session.get(ReportDraft, campaign.id)
    table = figures["scorecard"]
    if scoring_form is None:
        settings = db.session.get(ScorecardSettings, campaign.id)
        scoring_form = ScoringForm(formdata=None, prefix="scoring", data={
            "late_points_per_day": settings.late_points_per_day if settings else 0,
            "min_consultations": settings.min_consultations if settings else 0,
            "require_booth": settings.require_booth if settings else False})
    if adjustment_form is None:
        adjustment_form = AdjustmentForm(formdata=None, prefix="adjust")
    adjustment_form.unit_id.choices = [(row["unit_id"], row["name"]) for row in
                                       sorted(table["rows"], key=lambda row: row["name"])]
    return render_template(
        "report/scorecard.html", campaign=campaign, rules=rules, forms=forms, new_form=new_form,
        table=table, kinds=scorecard.RULE_KINDS, confirm=ConfirmForm(),
        include=bool(draft and draft.include_scorecard), scoring_form=scoring_form, adjustment_form=adjustment_form,
        flag_labels=scorecard.FLAG_LABELS, log=scoring.adjustment_log(campaign.id),
    ), status


def _values(form: ScoreRuleForm) -> tuple:
    return form.kind.data, form.label.data or "", form.points.data, form.threshold.data or 0


@bp.route("/scorecard", methods=["GET", "POST"])
def index(campaign_id: int):
    campaign = current_campaign()
    form = ScoreRuleForm(prefix="new")
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                rule = scorecard.add_rule(campaign.id, current_user, *_values(form))
            except Refusal as error:
                on_form(form, error)
            else:
                flash(_("已添加评分规则“%(label)s”。", label=rule.label), "success")
                return _to_scorecard(campaign.id, f"rule-{rule.id}")
        return _page(campaign, form, status=422)
    return _page(campaign, form)


@bp.post("/scorecard/rules/<int:rule_id>")
def update_rule(campaign_id: int, rule_id: int):
    campaign = current_campaign()
    rule = owned(ScoreRule, rule_id)
    form = ScoreRuleForm(prefix=f"r{rule.id}")
    if form.validate_on_submit():
        try:
            changed = scorecard.update_rule(rule, current_user, *_values(form))
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已保存。") if changed else _("内容没有变化。"), "success" if changed else "info")
            return _to_scorecard(campaign.id, f"rule-{rule.id}")
    return _page(campaign, ScoreRuleForm(formdata=None, prefix="new"), failed_rule=rule, failed_form=form, status=422)


@bp.post("/scorecard/rules/<int:rule_id>/delete")
def delete_rule(campaign_id: int, rule_id: int):
    rule = owned(ScoreRule, rule_id)
    if ConfirmForm().validate_on_submit():
        label = rule.label
        scorecard.delete_rule(rule, current_user)
        flash(_("已删除评分规则“%(label)s”。", label=label), "success")
    return _to_scorecard(campaign_id)


@bp.post("/scorecard/defaults")
def default_rules(campaign_id: int):
    campaign = current_campaign()
    if ConfirmForm().validate_on_submit():
        added = scorecard.add_default_rules(campaign.id, current_user)
        if added:
            flash(_("已添加%(n)s条默认评分规则，可逐条修改。", n=added), "success")
        else:
            flash(_("已有评分规则，未添加默认规则。"), "info")
    return _to_scorecard(campaign.id)


@bp.post("/scorecard/include")
def include_in_pdf(campaign_id: int):
    campaign = current_campaign()
    if ConfirmForm().validate_on_submit():
        include = request.form.get("include") == "1"
        selection.include_scorecard(campaign.id, current_user, include)
        flash(_("PDF 和 Word 将附上评分表。") if include else _("PDF 和 Word 不附评分表。"), "success")
    return _to_scorecard(campaign.id)


@bp.post("/scorecard/settings")
def save_scoring(campaign_id: int):
    campaign = current_campaign()
    form = ScoringForm(prefix="scoring")
    if form.validate_on_submit():
        try:
            changed = scoring.save_settings(campaign.id, current_user, form.late_points_per_day.data,
                                            form.min_consultations.data, form.require_booth.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已保存评分设置。") if changed else _("内容没有变化。"), "success" if changed else "info")
            return _to_scorecard(campaign.id, "scoring")
    return _page(campaign, ScoreRuleForm(formdata=None, prefix="new"), scoring_form=form, status=422)


@bp.post("/scorecard/adjustments")
def adjust(campaign_id: int):
    campaign = current_campaign()
    form = AdjustmentForm(prefix="adjust")
    if form.validate_on_submit():
        try:
            changed = scoring.adjust(campaign.id, form.unit_id.data, current_user, form.points.data,
                                     form.reason.data or "")
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已调整得分，调整记录已留存。") if changed else _("内容没有变化。"), "success" if changed else "info")
            return _to_scorecard(campaign.id, f"unit-{form.unit_id.data}")
    return _page(campaign, ScoreRuleForm(formdata=None, prefix="new"), adjustment_form=form, status=422)
