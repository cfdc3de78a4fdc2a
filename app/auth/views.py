"""Sign-up, sign-in, sign-out and password reset."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import mail
from app.auth import services
from app.auth.forms import LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from app.errors import InvalidInput
from app.extensions import db
from app.urls import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a participant account."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        if form.website.data:  # honeypot filled: answer as if it worked, store nothing
            flash(_("Su cuenta fue creada. Ya puede iniciar sesión."), "success")
            return redirect(url_for("auth.login"), 303)
        try:
            user = services.register_user(
                email=form.email.data, display_name=form.display_name.data,
                password=form.password.data, sector=form.sector.data,
                organization=form.organization.data,
            )
        except InvalidInput as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Le damos la bienvenida a Cocrea. Su cuenta fue creada."), "success")
            return redirect(url_for("main.index"), 303)
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password."""
    target = safe_next(request.args.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(_("Sesión iniciada."), "success")
            return redirect(target, 303)
        form.password.errors.append(_("El correo o la contraseña no son correctos."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out everywhere this browser was remembered."""
    current_user.rotate_session_token()  # voids the remember-me cookie as well
    db.session.commit()
    logout_user()
    flash(_("Sesión cerrada."), "info")
    return redirect(url_for("main.index"), 303)


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    """Ask for a password reset link (same answer whether or not the account exists)."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            token = services.make_reset_token(user)
            link = url_for("auth.reset_password", token=token, _external=True)
            mail.queue(mail.Message(  # sent at the end of the request
                to=user.email, subject=_("Restablecer su contraseña de Cocrea"),
                body=render_template("auth/email/reset.txt", user=user, link=link),
            ))
        flash(_("Si existe una cuenta con ese correo, le enviamos un enlace para restablecer "
                "la contraseña. Revise su bandeja de entrada."), "info")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with the emailed link."""
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("El enlace no es válido o ya venció. Solicite uno nuevo."), "error")
        return redirect(url_for("auth.reset_request"), 303)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash(_("Su contraseña fue cambiada. Ya puede iniciar sesión."), "success")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/reset_password.html", form=form), 400 if form.errors else 200


@bp.app_context_processor
def _auth_globals():
    return {"email_confirmation_required": current_app.config["REQUIRE_EMAIL_CONFIRMATION"]}
