from flask import Blueprint

bp = Blueprint("status", __name__, url_prefix="/status")


@bp.route("/ping")
def ping():
    return "pong"
