"""The moderators' form to edit a mesa."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.forms import DateField, IntegerField, TimeField
from app.mesas.services import MAX_CAPACITY


class MesaForm(FlaskForm):
    # InputRequired (not DataRequired): an unreadable date (2026-02-30) says "not a valid
    # date", not "missing", and keeps what was typed.
    day = DateField(_l("Fecha"), validators=[InputRequired(_l("Indique la fecha."))])
    starts = TimeField(_l("Hora de inicio"), validators=[InputRequired(_l("Indique la hora."))],
                       description=_l("Hora de Guatemala."))
    ends = TimeField(_l("Hora de fin"), validators=[InputRequired(_l("Indique la hora."))])
    place = StringField(_l("Lugar"), validators=[
        DataRequired(_l("Indique el lugar.")),
        Length(max=300, message=_l("El lugar puede tener hasta 300 caracteres."))])
    capacity = IntegerField(_l("Cupo"), validators=[
        InputRequired(_l("Indique el cupo.")),
        NumberRange(1, MAX_CAPACITY, _l("El cupo debe estar entre 1 y %(max)d."))],
        description=_l("No puede ser menor que las personas ya inscritas."))


class MeetingForm(FlaskForm):
    """Convene a meeting (/mesas/new): times are Guatemala's local time."""

    kind = SelectField(_l("Tipo de reunión"), choices=[], validate_choice=False)
    theme = SelectField(_l("Temática"), choices=[], validate_choice=False,
                        description=_l("Solo para mesas de co-creación."))
    title = StringField(_l("Título"), validators=[Length(max=200)],
                        description=_l("Por ejemplo «Segunda ronda». Obligatorio para el "
                                       "foro y las reuniones de implementación."))
    starts_at = DateTimeLocalField(_l("Inicio"), format="%Y-%m-%dT%H:%M", validators=[
        DataRequired(_l("Indique la fecha y la hora (AAAA-MM-DDTHH:MM)."))],
        description=_l("Hora de Guatemala."))
    ends_at = DateTimeLocalField(_l("Fin"), format="%Y-%m-%dT%H:%M", validators=[
        DataRequired(_l("Indique la fecha y la hora (AAAA-MM-DDTHH:MM)."))])
    place = StringField(_l("Lugar"), validators=[
        Length(max=300, message=_l("El lugar puede tener hasta 300 caracteres."))])
    online_url = StringField(_l("Enlace de la reunión en línea (opcional)"),
                             validators=[Length(max=500)])
    capacity = IntegerField(_l("Cupo"), validators=[
        DataRequired(_l("Indique el cupo.")),
        NumberRange(1, MAX_CAPACITY, _l("El cupo debe estar entre 1 y %(max)d."))])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Motivo de la cancelación"), validators=[
        DataRequired(_l("Explique el motivo de la cancelación.")),
        Length(min=5, max=2000, message=_l("Escriba entre 5 y 2000 caracteres."))],
        description=_l("Se publica y se envía a las personas inscritas."))
