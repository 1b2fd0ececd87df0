from flask import Blueprint

bp = Blueprint("public_booth", __name__, url_prefix="/p")
