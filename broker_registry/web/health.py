"""Health endpoints for load balancers: the process is up; the database answers.

/readyz makes one round trip and nothing else (a SELECT 1 on the request's reader, outside
any transaction), the way the hot API paths read: besides telling a load balancer the
database answers, it is what the benchmarks measure a database round trip by.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from .. import db
from ..db.driver_sql import DriverQuery
from .auth import public

bp = Blueprint("health", __name__)
_ONE = DriverQuery(sa.select(sa.literal_column("1")))


@bp.get("/healthz")
@public
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@public
def readyz():
    try:
        _ONE.rows(db.reader(), {})
    except SQLAlchemyError:
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
