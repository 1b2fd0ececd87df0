from flask import Blueprint

bp = Blueprint("summary_photos", __name__)
