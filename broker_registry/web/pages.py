"""The home page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory

from .auth import public

bp = Blueprint("pages", __name__)


@bp.get("/")
@public
def home():
    return render_template("pages/home.html")


@bp.get("/favicon.ico")
@public
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.svg",
                               mimetype="image/svg+xml", max_age=86400)
