"""The moderators' form to edit a mesa."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange

from app.mesas.services import MAX_CAPACITY


class MesaForm(FlaskForm):
    day = DateField(_l("Fecha"), validators=[DataRequired(_l("Indique la fecha."))])
    starts = TimeField(_l("Hora de inicio"), validators=[DataRequired(_l("Indique la hora."))],
                       description=_l("Hora de Guatemala."))
    ends = TimeField(_l("Hora de fin"), validators=[DataRequired(_l("Indique la hora."))])
    place = StringField(_l("Lugar"), validators=[
        DataRequired(_l("Indique el lugar.")),
        Length(max=300, message=_l("El lugar puede tener hasta 300 caracteres."))])
    capacity = IntegerField(_l("Cupo"), validators=[
        DataRequired(_l("Indique el cupo.")),
        NumberRange(1, MAX_CAPACITY, _l("El cupo debe estar entre 1 y %(max)d."))],
        description=_l("No puede ser menor que las personas ya inscritas."))
