"""The moderators' form to edit a mesa."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
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
