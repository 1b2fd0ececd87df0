from flask import Blueprint

bp = Blueprint("plan_document", __name__, url_prefix="/campaigns/<int:campaign_id>/plan")
