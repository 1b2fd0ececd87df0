from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/campaigns/<int:campaign_id>/board")
