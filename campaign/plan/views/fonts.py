"""The fonts page: which font each part of the official documents will be set in, and where an office's own go."""

from pathlib import Path

from flask import current_app, render_template

from campaign.documents.fonts import role_fonts, unrecognised_files
from campaign.plan.blueprint import fonts as bp


@bp.get("")
def index():
    folder = current_app.config["FONTS_DIR"]
    return render_template(
        "plan/fonts.html",
        folder=Path(folder).resolve(),
        roles=role_fonts(folder),
        unrecognised=unrecognised_files(folder),
    )
