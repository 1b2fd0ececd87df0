"""The organizer's lookup of an entry by the receipt code somebody quotes: straight to the entry in its booth's
list when there is one, else a page that says why not."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.booths import lookup, receipts
from campaign.booths.blueprint import manage as bp
from campaign.web.scope import current_campaign

# Longer than any code or UUID, however it is spaced: anything beyond is not one.
QUERY_MAX = 80


@bp.get("/receipt")
def receipt(campaign_id: int):
    campaign = current_campaign()
    typed = request.args.get("code", "")[:QUERY_MAX]
    if not typed.strip():
        return render_template("booths/receipt.html", campaign=campaign, typed="", problem=None, found=None)
    code = receipts.cleaned_code(typed)
    if code is None:
        problem = _("回执码是8位字母和数字，如 7K3M-9QXD（不区分大小写，可不写短横线），请核对后再查。")
        return render_template("booths/receipt.html", campaign=campaign, typed=typed, problem=problem, found=None)
    found = lookup.find(campaign.id, code)
    if found is not None and found.page is not None:
        return redirect(url_for(
            "booths.entries.index", campaign_id=campaign.id, booth_id=found.booth.id, page=found.page,
            _anchor=f"{found.kind}-{found.row.id}",
        ))
    problem = None if found else _("本次活动中没有回执码为 %(code)s 的登记。请核对回执码；其他年度活动的登记请到该活动中查找。", code=code)
    return render_template("booths/receipt.html", campaign=campaign, typed=code, problem=problem, found=found)
