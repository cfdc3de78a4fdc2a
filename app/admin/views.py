"""Process administration (/admin): the dashboard, plans, phases and themes.

Views parse the form, authorize, call one service verb through `app.forms.submit`, and
commit once. Bad input comes back as the same form with the message next to the field, status
400.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.admin import services
from app.admin.forms import PhaseForm, PlanEditForm, PlanForm, ThemeForm
from app.auth.session import role_required
from app.database import get_or_404
from app.extensions import db
from app.forms import form_status, submit
from app.models import Theme
from app.plans import services as plans

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _render(template: str, form, **context):
    return render_template(template, form=form, **context), form_status(form)


@bp.route("")
@role_required("moderator")
def dashboard():
    """The current plan at a glance: phase, open windows, mesas to come, pending work."""
    plan = plans.require_current_plan()
    return render_template("admin/dashboard.html", board=services.dashboard(plan),
                           phase_form=PhaseForm(formdata=None))


@bp.route("/plans/new", methods=["GET", "POST"])
@role_required("admin")
def new_plan():
    """Start the next plan (in co-creation, made current), optionally copying the themes."""
    form = PlanForm()
    ok, plan = submit(form, lambda: plans.create_plan(
        current_user, slug=form.slug.data, title=form.title.data, period=form.period.data,
        copy_themes=form.copy_themes.data))
    if ok:
        db.session.commit()
        flash(_("El plan «%(title)s» es ahora el plan actual.", title=plan.title), "success")
        return redirect(url_for("admin.edit_plan", slug=plan.slug), 303)
    return _render("admin/plan_new.html", form)


def _status_choices(plan):
    from app.plans.labels import PLAN_STATUS_LABELS

    return [SelectChoice(status, str(PLAN_STATUS_LABELS[status]))
            for status in (plan.status, *plan.allowed_statuses())]


@bp.route("/plans/<slug>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit_plan(slug: str):
    """Title, period, introduction and status (only the moves the transitions table allows)."""
    plan = plans.get_plan(slug)
    form = PlanEditForm(obj=plan)
    form.status.choices = _status_choices(plan)
    ok, _plan = submit(form, lambda: plans.update_plan(
        current_user, plan, title=form.title.data, period=form.period.data,
        intro=form.intro.data, status=form.status.data))
    if ok:
        db.session.commit()
        flash(_("El plan fue actualizado."), "success")
        return redirect(url_for("admin.edit_plan", slug=plan.slug), 303)
    return _render("admin/plan_edit.html", form, plan=plan, phases=plans.timeline(plan),
                   phase_form=PhaseForm(formdata=None))


@bp.route("/plans/<slug>/phases", methods=["POST"])
@role_required("admin")
def add_phase(slug: str):
    """Publish a phase of the plan's timeline (overlapping phases are refused)."""
    plan = plans.get_plan(slug)
    phase_form = PhaseForm()
    ok, _phase = submit(phase_form, lambda: plans.add_phase(
        current_user, plan, name=phase_form.name.data, starts_on=phase_form.starts_on.data,
        ends_on=phase_form.ends_on.data, description=phase_form.description.data))
    if ok:
        db.session.commit()
        flash(_("La fase fue publicada en el cronograma."), "success")
        return redirect(url_for("admin.edit_plan", slug=plan.slug), 303)
    form = PlanEditForm(obj=plan, formdata=None)
    form.status.choices = _status_choices(plan)
    return render_template("admin/plan_edit.html", form=form, plan=plan,
                           phases=plans.timeline(plan), phase_form=phase_form), 400


def _theme_data(form: ThemeForm) -> dict:
    return {name: getattr(form, name).data for name in (
        "name", "description", "position", "proposals_open_at", "proposals_close_at",
        "voting_open_at", "voting_close_at", "max_open_proposals_per_user",
        "max_supports_per_user")}


def _theme_form(form: ThemeForm, verb, plan, theme, done):
    """The theme form's one flow, for creating and editing: `verb(data)` on valid input, then
    commit, flash `done(result)` and back to the dashboard; else the form again (400)."""
    ok, result = submit(form, lambda: verb(_theme_data(form)))
    if ok:
        db.session.commit()
        flash(done(result), "success")
        return redirect(url_for("admin.dashboard"), 303)
    return _render("admin/theme_form.html", form, plan=plan, theme=theme)


@bp.route("/themes/new", methods=["GET", "POST"])
@role_required("moderator")
def new_theme():
    """A new theme of the current plan, with its windows (local time) and limits."""
    plan = plans.require_current_plan()
    form = ThemeForm()
    if not form.is_submitted():
        form.position.data = len(plan.themes) + 1
    return _theme_form(form, lambda data: services.create_theme(current_user, plan, data), plan,
                       None, lambda theme: _("La temática «%(name)s» fue creada.", name=theme.name))


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@role_required("moderator")
def edit_theme(theme_id: int):
    """Change a theme: name, description, position, windows (local time), limits."""
    theme = get_or_404(Theme, theme_id, _("No existe esa temática."))
    form = ThemeForm(data={
        "name": theme.name, "description": theme.description, "position": theme.position,
        **{name: services.to_local(getattr(theme, name)) for pair in services.WINDOWS
           for name in pair},
        "max_open_proposals_per_user": theme.max_open_proposals_per_user,
        "max_supports_per_user": theme.max_supports_per_user})
    return _theme_form(form, lambda data: services.update_theme(current_user, theme, data),
                       theme.plan, theme, lambda _theme: _("La temática fue actualizada."))
