"""The process administration forms: plans, phases and themes. Dates and times are
Guatemala's local time (`YYYY-MM-DDTHH:MM`); services turn them into aware datetimes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
LOCAL_HINT = _l("Hora de Guatemala, AAAA-MM-DDTHH:MM. Vacío: sin límite.")


class PlanForm(FlaskForm):
    slug = StringField(_l("Dirección (slug)"), validators=[
        DataRequired(_l("Indique la dirección del plan.")), Length(max=80)],
        description=_l("Minúsculas, números y guiones, por ejemplo 5to-plan-2026-2028."))
    title = StringField(_l("Título"), validators=[
        DataRequired(_l("Escriba el título del plan.")), Length(max=200)])
    period = StringField(_l("Período"), validators=[
        DataRequired(_l("Indique el período, por ejemplo 2026-2028.")), Length(max=20)])
    copy_themes = BooleanField(_l("Copiar las temáticas del plan actual"),
                               description=_l("Se copian con los plazos cerrados."))


class PlanEditForm(FlaskForm):
    title = StringField(_l("Título"), validators=[
        DataRequired(_l("Escriba el título del plan.")), Length(max=200)])
    period = StringField(_l("Período"), validators=[
        DataRequired(_l("Indique el período, por ejemplo 2026-2028.")), Length(max=20)])
    intro = TextAreaField(_l("Presentación"), validators=[Length(max=20_000)])
    status = SelectField(_l("Estado"), choices=[], validate_choice=False)


class PhaseForm(FlaskForm):
    name = StringField(_l("Nombre de la fase"), validators=[
        DataRequired(_l("Escriba el nombre de la fase.")), Length(max=150)])
    starts_on = DateField(_l("Inicio"), validators=[
        DataRequired(_l("Indique la fecha de inicio (AAAA-MM-DD)."))])
    ends_on = DateField(_l("Fin"), validators=[
        DataRequired(_l("Indique la fecha de fin (AAAA-MM-DD)."))])
    description = TextAreaField(_l("Descripción"), validators=[Length(max=5000)])


def _window_field(label):
    return DateTimeLocalField(label, format=LOCAL_FORMAT, validators=[Optional()],
                              description=LOCAL_HINT)


class ThemeForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[
        DataRequired(_l("Escriba el nombre de la temática.")), Length(max=150)])
    description = TextAreaField(_l("Descripción"), validators=[Length(max=5000)])
    position = IntegerField(_l("Posición"), validators=[
        DataRequired(_l("Indique la posición (1, 2, 3...).")),
        NumberRange(1, 999, _l("La posición debe estar entre 1 y 999."))])
    proposals_open_at = _window_field(_l("Abre la recepción de propuestas"))
    proposals_close_at = _window_field(_l("Cierra la recepción de propuestas"))
    voting_open_at = _window_field(_l("Abre la votación"))
    voting_close_at = _window_field(_l("Cierra la votación"))
    max_open_proposals_per_user = IntegerField(
        _l("Propuestas abiertas por persona"), validators=[
            Optional(), NumberRange(1, 1000, _l("El límite debe estar entre 1 y 1000."))],
        description=_l("Vacío: sin límite."))
    max_supports_per_user = IntegerField(
        _l("Apoyos por persona"), validators=[
            Optional(), NumberRange(1, 100_000, _l("El límite debe estar entre 1 y 100000."))],
        description=_l("Vacío: sin límite."))
