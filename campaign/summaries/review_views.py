from flask import Blueprint

bp = Blueprint("summary_review", __name__)
