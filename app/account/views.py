"""The signed-in participant's own account."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.account.forms import AccountForm
from app.extensions import db

bp = Blueprint("account", __name__)


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
    return render_template("account/edit.html", form=form), 400 if form.errors else 200
