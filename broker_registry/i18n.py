"""Languages: English and Simplified Chinese, chosen by the user or the browser."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel

LANGUAGES = {"en": "English", "zh": "简体中文"}
RTL = frozenset({"ar", "he", "fa", "ur"})  # ready for Arabic: a catalogue, not a redesign
COOKIE = "lang"


def select_locale() -> str:
    from .auth import current_account

    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    account = current_account()
    if account is not None and account.locale in LANGUAGES:
        return account.locale
    if request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    return request.accept_languages.best_match(list(LANGUAGES), default="en")


def page_language() -> dict:
    from flask_babel import get_locale

    language = str(get_locale() or "en").split("_")[0]
    return {"page_lang": "zh-Hans" if language == "zh" else language,
            "page_dir": "rtl" if language in RTL else "ltr", "languages": LANGUAGES,
            "current_language": language}


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale,
          default_translation_directories=str(app.root_path) + "/translations")
    app.context_processor(page_language)
