"""The signed-in participant's own account: profile, password, devices, data, deletion."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from app.account import services
from app.account.forms import (
    AccountForm,
    ChangePasswordForm,
    DeleteAccountForm,
    RevokeSessionForm,
)
from app.auth import devices
from app.auth import services as auth_services
from app.auth.forms import ConfirmResendForm
from app.auth.session import current_device_session
from app.auth.views import login_account_limit, login_ip_limit
from app.errors import InvalidInput
from app.extensions import db
from app.forms import validate
from app.mesas.emails import send_registration_emails

bp = Blueprint("account", __name__)


def _render(form: AccountForm, delete_form: DeleteAccountForm, status: int = 200):
    return render_template("account/edit.html", form=form, delete_form=delete_form,
                           resend_form=ConfirmResendForm()), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def edit():
    """Edit profile and notification preferences."""
    form = AccountForm(obj=current_user)
    if validate(form):
        try:
            services.rename(current_user, form.display_name.data)
        except InvalidInput as error:
            form.display_name.errors.append(error.message)
            return _render(form, DeleteAccountForm(formdata=None), 400)
        form.display_name.data = current_user.display_name
        form.populate_obj(current_user)
        current_user.organization = (current_user.organization or "").strip() or None
        db.session.commit()
        flash(_("Sus datos fueron guardados."), "success")
        return redirect(url_for("account.edit"), 303)
    return _render(form, DeleteAccountForm(formdata=None), 400 if form.errors else 200)


@bp.route("/account/participation")
@login_required
def participation():
    """Every contribution of the signed-in participant and what became of it."""
    from app.account.participation import participation_of

    return render_template("account/participation.html",
                           participation=participation_of(current_user))


@bp.route("/account/export.json")
@login_required
def export():
    """Download every piece of data Cocrea keeps about the signed-in participant."""
    body = json.dumps(services.export_user_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="cocrea-mis-datos.json"',
        "Cache-Control": "private, no-store",
    })


@bp.route("/account/delete", methods=["POST"])
@login_required
def delete():
    """Erase the account after the password is confirmed."""
    delete_form = DeleteAccountForm()
    if validate(delete_form):
        try:
            promoted = services.delete_account(current_user._get_current_object(),
                                               delete_form.password.data)
        except InvalidInput as error:
            delete_form.password.errors.append(error.message)
        else:
            send_registration_emails(promoted, promoted=True)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Su cuenta fue eliminada. Sus propuestas quedan publicadas como "
                    "«Participante eliminado»."), "info")
            return redirect(url_for("main.index"), 303)
    return _render(AccountForm(obj=current_user, formdata=None), delete_form, 400)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@login_ip_limit
@login_account_limit
def password():
    """Change the password with the current one; every other device is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            ended = auth_services.change_password(
                current_user._get_current_object(), form.current_password.data,
                form.password.data, keep=current_device_session())
        except InvalidInput as error:
            form.current_password.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Su contraseña fue cambiada.") + " " + ngettext(
                "Se cerró %(num)d sesión en otro dispositivo.",
                "Se cerraron %(num)d sesiones en otros dispositivos.", ended), "success")
            return redirect(url_for("account.edit"), 303)
    return render_template("account/password.html", form=form), 400 if form.errors else 200


@bp.route("/account/sessions")
@login_required
def sessions():
    """The devices where the account is signed in (device, last seen), this one marked."""
    current = current_device_session()
    return render_template("account/sessions.html", form=RevokeSessionForm(),
                           sessions=devices.active_sessions(current_user),
                           current_id=current.id if current else None)


@bp.route("/account/sessions/<int:session_id>/revoke", methods=["POST"])
@login_required
def revoke_session(session_id: int):
    """Sign out one device (this one included: that is a sign-out)."""
    if not RevokeSessionForm().validate_on_submit():
        abort(400)
    current = current_device_session()
    is_this_device = current is not None and current.id == session_id
    if not devices.revoke_session(current_user, session_id):
        abort(404)  # not one of this account's sessions (or already ended)
    db.session.commit()
    if is_this_device:
        logout_user()
        session.clear()
        flash(_("Sesión cerrada."), "info")
        return redirect(url_for("main.index"), 303)
    flash(_("La sesión en ese dispositivo fue cerrada."), "success")
    return redirect(url_for("account.sessions"), 303)


@bp.route("/account/sessions/revoke-others", methods=["POST"])
@login_required
def revoke_other_sessions():
    """Sign out every device but this one."""
    if not RevokeSessionForm().validate_on_submit():
        abort(400)
    ended = devices.revoke_other_sessions(current_user, keep=current_device_session())
    db.session.commit()
    flash(ngettext("Se cerró %(num)d sesión en otro dispositivo.",
                   "Se cerraron %(num)d sesiones en otros dispositivos.", ended), "success")
    return redirect(url_for("account.sessions"), 303)
