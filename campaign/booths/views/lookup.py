"""The organizer's lookup of an entry by the receipt code somebody quotes: straight to the entry in its booth's
list when there is one, else a page that says why not."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.booths import lookup, receipts
from campaign.booths.blueprint import manage as bp
from campaign.web.scope import current_campaign


@bp.get("/receipt")
def receipt(campaign_id: int):
    campaign = current_campaign()
    quoted = receipts.Quoted.of(request.args.get("code"))
    found = lookup.find(campaign.id, quoted.code) if quoted.code else None
    if found is not None and found.page is not None:
        return redirect(url_for(
            "booths.entries.index", campaign_id=campaign.id, booth_id=found.booth.id, page=found.page,
            _anchor=f"{found.kind}-{found.row.id}",
        ))
    problem = quoted.problem
    if quoted.code and found is None:
        problem = _("本次活动中没有回执码为 %(code)s 的登记。请核对回执码；其他年度活动的登记请到该活动中查找。",
                    code=quoted.code)
    return render_template("booths/receipt.html", campaign=campaign, typed=quoted.code or quoted.typed,
                           problem=problem, found=found)
