from flask import Blueprint

status = Blueprint("status", __name__, url_prefix="/status")


@status.get("/deep")
def deep():
    return "ok"
