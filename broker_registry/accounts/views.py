from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from .. import db
from ..audit.service import history
from ..errors import Conflict, ValidationFailed, invalid
from ..i18n.formats import language
from ..permissions import Permission, Role
from ..validation import parse
from ..web import links
from ..web.auth import current_account, log_in, log_out, public, requires
from ..web.extensions import current_password_checks, email_key, limiter
from ..web.forms import act_on_case, errors_by_field
from ..web.redirects import same_site_path
from . import service, sign_ups
from .schemas import PasswordChange, SignUp, StandingChange

bp = Blueprint("accounts", __name__)


# Where each role's work starts after signing in (unless the sign-in was asked on the way to
# another page): a regulator's queue, a customs officer's verifier, an admin's dashboard.
LANDING = {Role.REGULATOR: "licences.queue", Role.CUSTOMS: "customs.verify_page",
           Role.ADMIN: "reports.dashboard", Role.BROKER: "brokers.mine"}


def _safe_next(target: str | None, role: str | None = None) -> str:
    landing = LANDING.get(str(role))
    if landing not in current_app.view_functions:
        landing = "pages.home"
    return same_site_path(target) or url_for(landing)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
@limiter.limit("10/minute", key_func=email_key, methods=["POST"])
@public
def login():
    error = None
    if request.method == "POST":
        account = service.authenticate(db.session(), request.form.get("email", "")[:254],
                                       request.form.get("password", "")[:256])
        if account is not None:
            log_in(account)
            return redirect(_safe_next(request.args.get("next"), account.role))
        error = gettext("The email or the password is wrong.")
    status = 401 if error else 200
    return render_template("accounts/login.html", error=error,
                           email=request.form.get("email", "")), status


@bp.post("/logout")
@public
def logout():
    log_out()
    flash(gettext("You are signed out."))
    return redirect(url_for("pages.home"))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
@limiter.limit("5/hour", key_func=email_key, methods=["POST"])
@public
def signup():
    """The same answer whether or not the address has an account (sign_ups.py)."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            body = parse(SignUp, {k: request.form.get(k, "") for k in
                                  ("email", "password", "display_name")})
            session = db.session()
            sign_ups.ask(session, email=body.email, password=body.password,
                         display_name=body.display_name, locale=language(), **links.sign_up())
            session.commit()
            return render_template("accounts/signup_sent.html",
                                   email=service.normalise_email(body.email))
        except ValidationFailed as error:
            errors = errors_by_field(error)
    return render_template("accounts/signup.html", errors=errors, form=request.form), \
        422 if errors else 200


@bp.route("/signup/confirm", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
@public
def confirm():
    """The link a sign-up's email carries: its password again, and the account is made."""
    session, token, errors = db.session(), request.values.get("token", "")[:200], {}
    asked = sign_ups.pending(session, token)
    if request.method == "POST":
        try:
            account = sign_ups.confirm(session, token=token,
                                       password=request.form.get("password", "")[:256])
            session.commit()
            log_in(account)
            flash(gettext("Your account is ready. Apply for registration as a broker below."))
            return redirect(url_for("brokers.apply"))
        except ValidationFailed as error:
            session.rollback()
            errors = errors_by_field(error)
        except Conflict as error:
            session.rollback()
            flash(error.detail)
            return redirect(url_for("accounts.login"))
    return render_template("accounts/confirm.html", asked=asked, token=token, errors=errors), \
        422 if errors else 200


@bp.route("/account", methods=["GET", "POST"])
@current_password_checks
@requires(Permission.SELF_READ)
def account():
    errors: dict[str, str] = {}
    session = db.session()
    if request.method == "POST":
        try:
            body = parse(PasswordChange, {k: request.form.get(k, "") for k in
                                          ("current_password", "new_password")})
            service.change_password(session, current_account(), body.current_password,
                                    body.new_password)
            session.commit()
            log_in(current_account())
            flash(gettext("Password changed. Every other session and API token has been ended."))
            return redirect(url_for("accounts.account"))
        except ValidationFailed as error:
            errors = errors_by_field(error)
    tokens = service.list_tokens(session, current_account())
    return render_template("accounts/account.html", errors=errors, tokens=tokens), \
        422 if errors else 200


@bp.post("/account/tokens/<int:token_id>/revoke")
@requires(Permission.TOKENS_MANAGE)
def revoke_token(token_id: int):
    session = db.session()
    service.revoke_token(session, current_account(), token_id)
    session.commit()
    flash(gettext("The token is revoked."))
    return redirect(url_for("accounts.account"))


@bp.route("/admin/users", methods=["GET", "POST"])
@requires(Permission.USERS_MANAGE)
def users():
    errors: dict[str, str] = {}
    session = db.session()
    if request.method == "POST":
        try:
            body = parse(SignUp, {k: request.form.get(k, "") for k in
                                  ("email", "password", "display_name")})
            role = request.form.get("role", "")
            if role not in {r.value for r in Role}:
                raise invalid("role", gettext("choose a role"))
            service.create_account(session, email=body.email, password=body.password,
                                   display_name=body.display_name, role=Role(role),
                                   actor=current_account())
            session.commit()
            flash(gettext("Account %(email)s created.", email=body.email))
            return redirect(url_for("accounts.users"))
        except ValidationFailed as error:
            errors = errors_by_field(error)
        except Conflict as error:
            errors = {"email": error.detail}
    return render_template("accounts/users.html", errors=errors, form=request.form,
                           accounts=service.list_accounts(session), roles=list(Role)), \
        422 if errors else 200


@bp.get("/admin/users/<int:account_id>")
@requires(Permission.USERS_MANAGE)
def user(account_id: int, errors: dict | None = None, status: int = 200):
    session = db.session()
    account = service.get(session, account_id)
    return render_template("accounts/user.html", account=account, errors=errors or {},
                           history=history(session, "account", account.id)), status


@bp.post("/admin/users/<int:account_id>/<any(deactivate, reactivate):action>")
@requires(Permission.USERS_MANAGE)
def change_standing(account_id: int, action: str):
    def act(session):
        body = parse(StandingChange, {"reason": request.form.get("reason", "")})
        service.change_standing(session, actor=current_account(), account_id=account_id,
                                action=action, reason=body.reason)

    return act_on_case(act, rerender=lambda **kw: user(account_id, **kw),
                       done_url=url_for("accounts.user", account_id=account_id))
