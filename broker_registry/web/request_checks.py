"""Checks every request passes before any view reads it.

A NUL character is text no field of ours holds, and PostgreSQL refuses it in any string
("A string literal cannot contain NUL"): let one reach a query and the answer is a 500. It is
refused here, once, for the path, the query string and form fields. In a JSON body, each text
field refuses control characters itself (`validation.Line`), naming the field.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from .problems import API_PREFIX

NUL = "\x00"


class NulCharacter(DomainError):
    status = 400
    title = "Bad request"


def refuse_nul() -> None:
    if NUL in request.path or any(NUL in key or any(NUL in value for value in values)
                                  for key, values in request.args.lists()):
        raise NulCharacter(_l("The address holds a NUL character (%00), which nothing here "
                              "accepts."))
    # Pages' forms only: the API reads JSON, whose text fields refuse control characters
    # themselves, and reading its body as a form here would leave the view none to read.
    if request.method == "POST" and not request.path.startswith(API_PREFIX) and \
            request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        for key, values in request.form.lists():
            if NUL in key or any(NUL in value for value in values):
                raise NulCharacter(_l("A form field holds a NUL character, which no field "
                                      "accepts."))


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)
