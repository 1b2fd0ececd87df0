from flask import Blueprint

bp = Blueprint("booths", __name__, url_prefix="/campaigns/<int:campaign_id>/booths")
