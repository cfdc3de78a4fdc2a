"""The signed-in participant's own account: profile, data export, deletion."""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.account import services
from app.account.forms import AccountForm, DeleteAccountForm
from app.auth.forms import ConfirmResendForm
from app.errors import InvalidInput
from app.extensions import db

bp = Blueprint("account", __name__)


def _render(form: AccountForm, delete_form: DeleteAccountForm, status: int = 200):
    return render_template("account/edit.html", form=form, delete_form=delete_form,
                           resend_form=ConfirmResendForm()), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def edit():
    """Edit profile and notification preferences."""
    form = AccountForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        current_user.display_name = current_user.display_name.strip()
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
    if delete_form.validate_on_submit():
        try:
            services.delete_account(current_user._get_current_object(), delete_form.password.data)
        except InvalidInput as error:
            delete_form.password.errors.append(error.message)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Su cuenta fue eliminada. Sus propuestas quedan publicadas como "
                    "«Participante eliminado»."), "info")
            return redirect(url_for("main.index"), 303)
    return _render(AccountForm(obj=current_user, formdata=None), delete_form, 400)
