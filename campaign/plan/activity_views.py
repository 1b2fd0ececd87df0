from flask import Blueprint

bp = Blueprint("activities", __name__, url_prefix="/campaigns/<int:campaign_id>")
