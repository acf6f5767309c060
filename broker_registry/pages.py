"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template

from .permissions import public

bp = Blueprint("pages", __name__)


@bp.get("/")
@public
def home():
    return render_template("pages/home.html")
