"""Sign-up, sign-in, sign-out, email confirmation and password reset."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app import mail
from app.auth import devices, services
from app.auth.forms import (
    ConfirmResendForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from app.auth.session import current_device_session
from app.errors import InvalidInput
from app.extensions import db, limiter
from app.forms import validate
from app.models.user import User, normalize_email
from app.urls import absolute_url, safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")

# Session keys that survive signing in and out (everything else is dropped: no fixation).
KEPT_SESSION_KEYS = ("locale",)


def _limit(name: str):
    return lambda: current_app.config[name]


def _email_key() -> str:
    """Per-account limits: the normalized email typed, so "A@x.org " counts as "a@x.org"."""
    email = normalize_email(request.form.get("email", ""))[:254]
    return f"account:{email}" if email else f"ip:{get_remote_address()}"


def _account_key() -> str:
    """The signed-in account's email, else the email typed: the password form and the
    sign-in form spend the same per-account allowance."""
    if current_user.is_authenticated:
        return f"account:{current_user.email}"
    return _email_key()


def _failed(response) -> bool:
    return response.status_code >= 400


# The sign-in limits, shared with every form that checks a password (app/account/views.py).
login_ip_limit = limiter.shared_limit(_limit("RATELIMIT_LOGIN_IP"), methods=["POST"],
                                      scope="login-ip")
login_account_limit = limiter.shared_limit(
    _limit("RATELIMIT_LOGIN_ACCOUNT"), methods=["POST"], key_func=_account_key,
    deduct_when=_failed, scope="login-account")


def _fresh_session() -> None:
    """Drop the old session contents before a sign-in, so a planted cookie gains nothing."""
    kept = {key: session[key] for key in KEPT_SESSION_KEYS if key in session}
    session.clear()
    session.update(kept)
    session.permanent = True  # PERMANENT_SESSION_LIFETIME is the idle timeout


def _sign_in(user, remember: bool = False) -> None:
    """A new device session (its own row, its own token), committed, then the cookie."""
    _fresh_session()
    devices.start_session(user, user_agent=request.user_agent.string,
                          ip=get_remote_address(), remember=remember)
    db.session.commit()
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_SIGNUP_IP"), methods=["POST"], scope="signup-ip")
def register():
    """Create a participant account."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if validate(form):
        if form.website.data:  # honeypot filled: answer as if it worked, store nothing
            flash(_("Su cuenta fue creada. Ya puede iniciar sesión."), "success")
            return redirect(url_for("auth.login"), 303)
        if _too_fast(form.form_started.data):
            form.form_started.errors.append(
                _("El formulario se envió demasiado rápido. Espere unos segundos, escriba de "
                  "nuevo la contraseña y envíelo otra vez."))
            form.form_started.data = None
        elif not _stamp_spent(form.form_started.data):
            form.form_started.errors.append(
                _("Revise sus datos y envíe el formulario de nuevo."))
            form.form_started.data = None  # a fresh stamp below: the old one is void
        elif current_app.config["REQUIRE_EMAIL_CONFIRMATION"]:
            return _register_with_confirmation(form)
        else:
            user = _register_from(form)
            if user is not None:
                _sign_in(user)
                flash(_("Le damos la bienvenida a Cocrea. Su cuenta fue creada."), "success")
                return redirect(url_for("main.index"), 303)
    if services.signup_form_age(form.form_started.data) is None:
        form.form_started.data = services.signup_form_stamp()
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


def _register_from(form: RegisterForm) -> User | None:
    """The new account, or None with the service's refusal shown next to its field."""
    try:
        return services.register_user(
            email=form.email.data, display_name=form.display_name.data,
            password=form.password.data, sector=form.sector.data,
            organization=form.organization.data,
        )
    except InvalidInput as error:
        getattr(form, error.field or "email").errors.append(error.message)
        return None


def _stamp_spent(stamp: str | None) -> bool:
    """Each form stamp is good for one sign-up attempt (SIGNUP_STAMP_REQUIRED: a stamp must
    come with the form; the test suite posts forms without one)."""
    if not stamp and not current_app.config.get("SIGNUP_STAMP_REQUIRED", True):
        return True
    return services.spend_signup_stamp(stamp)


def _too_fast(stamp: str | None) -> bool:
    minimum = current_app.config.get("SIGNUP_MIN_SECONDS") or 0
    if minimum <= 0:
        return False
    age = services.signup_form_age(stamp)
    return age is None or age < minimum


def _register_with_confirmation(form: RegisterForm):
    """The same answer for a new and a registered email; only the mailbox owner learns which."""
    existing = services.find_user_by_email(form.email.data)
    if existing is not None:
        services.spend_password_hash_time(form.password.data)
        if existing.is_active and services.may_send_account_notice(existing, "signup_attempt"):
            _send_existing_account_notice(existing)
        db.session.commit()  # the spent stamp and the notice count
    else:
        user = _register_from(form)
        if user is None:
            return render_template("auth/register.html", form=form), 400
        _send_confirmation(user)
        db.session.commit()
    flash(_("Le enviamos un correo con un enlace para confirmar su cuenta. Ábralo para "
            "terminar el registro y luego inicie sesión."), "info")
    return redirect(url_for("auth.login"), 303)


def _send_confirmation(user) -> None:
    link = absolute_url("auth.confirm", token=services.make_confirmation_token(user))
    mail.send(mail.Message(
        to=user.email, subject=_("Confirme su correo en Cocrea"),
        body=render_template("auth/email/confirm.txt", user=user, link=link),
    ))


def _send_existing_account_notice(user) -> None:
    mail.send(mail.Message(
        to=user.email, subject=_("Alguien intentó crear una cuenta de Cocrea con su correo"),
        body=render_template(
            "auth/email/existing_account.txt", user=user,
            login_link=absolute_url("auth.login"),
            reset_link=absolute_url("auth.reset_request")),
    ))


@bp.route("/confirm/<token>")
def confirm(token: str):
    """Confirm the email address with the emailed link."""
    user = services.confirm_email(token)
    if user is None:
        flash(_("El enlace de confirmación no es válido o ya venció."), "error")
        return redirect(url_for("auth.login"), 303)
    db.session.commit()
    flash(_("Su correo fue confirmado. Ya puede proponer, apoyar y comentar."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("main.index"), 303)
    return redirect(url_for("auth.login"), 303)


@bp.route("/confirm/resend", methods=["POST"])
@login_required
@limiter.limit("5 per 15 minutes", scope="confirm-resend")
def confirm_resend():
    """Send the confirmation link again."""
    form = ConfirmResendForm()
    if validate(form) and current_user.email_confirmed_at is None:
        _send_confirmation(current_user)
    flash(_("Si su correo aún no estaba confirmado, le enviamos un nuevo enlace."), "info")
    return redirect(url_for("account.edit"), 303)


@bp.route("/login", methods=["GET", "POST"])
@login_ip_limit
@login_account_limit
def login():
    """Sign in with email and password."""
    target = safe_next(request.args.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    if validate(form):
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user, remember=form.remember.data)
            flash(_("Sesión iniciada."), "success")
            return redirect(target, 303)
        form.password.errors.append(_("El correo o la contraseña no son correctos."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out this device: its session row ends, and with it any copy of its cookies."""
    devices.end_session(current_device_session())
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("Sesión cerrada."), "info")
    return redirect(url_for("main.index"), 303)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_RESET_IP"), methods=["POST"], scope="reset-ip")
@limiter.limit(_limit("RATELIMIT_RESET_ACCOUNT"), methods=["POST"], key_func=_email_key,
               scope="reset-account")
def reset_request():
    """Ask for a password reset link (same answer whether or not the account exists)."""
    form = ResetRequestForm()
    if validate(form):
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            token = services.make_reset_token(user)
            link = absolute_url("auth.reset_password", token=token)
            mail.queue(mail.Message(  # sent at the end of the request
                to=user.email, subject=_("Restablecer su contraseña de Cocrea"),
                body=render_template("auth/email/reset.txt", user=user, link=link),
            ))
        flash(_("Si existe una cuenta con ese correo, le enviamos un enlace para restablecer "
                "la contraseña. Revise su bandeja de entrada."), "info")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_RESET_IP"), methods=["POST"], scope="reset-ip")
def reset_password(token: str):
    """Choose a new password with the emailed link."""
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("El enlace no es válido o ya venció. Solicite uno nuevo."), "error")
        return redirect(url_for("auth.reset_request"), 303)
    form = ResetPasswordForm()
    if validate(form):
        services.set_password(user, form.password.data)
        if user.email_confirmed_at is None:  # the link reached the mailbox: it is theirs
            user.email_confirmed_at = services.utcnow()
        db.session.commit()  # every session of the account ended, this browser's too
        if current_user.is_authenticated:
            logout_user()
            _fresh_session()
        flash(_("Su contraseña fue cambiada. Ya puede iniciar sesión."), "success")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/reset_password.html", form=form), 400 if form.errors else 200


@bp.app_context_processor
def _auth_globals():
    return {"email_confirmation_required": current_app.config["REQUIRE_EMAIL_CONFIRMATION"]}
