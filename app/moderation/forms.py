"""The moderation forms: reports, decisions, hiding and blocking.

They carry the fields and their limits; the rules (a reasoned response, a real merge target)
live in services.py and come back onto these fields through `app.forms.submit`.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from app.forms import reusable
from app.models.moderation import FLAG_REASONS
from app.moderation.services import REASON_MAX, RESPONSE_MAX

_REASON_LENGTH = Length(max=REASON_MAX, message=_l("Hasta %(max)d caracteres."))


@reusable("flag")
class FlagForm(FlaskForm):
    reason = RadioField(_l("¿Por qué reporta este contenido?"), validate_choice=False,
                        choices=[SelectChoice(value) for value in FLAG_REASONS])
    details = TextAreaField(_l("Detalles (opcional)"), validators=[_REASON_LENGTH],
                            render_kw={"maxlength": REASON_MAX, "rows": 3})


@reusable("decision")
class DecisionForm(FlaskForm):
    status = SelectField(_l("Decisión"), validate_choice=False)
    response = TextAreaField(
        _l("Respuesta razonada (pública)"), validators=[
            Length(max=RESPONSE_MAX, message=_l("Hasta %(max)d caracteres."))],
        render_kw={"maxlength": RESPONSE_MAX, "rows": 5},
        description=_l("Obligatoria para aceptar, fusionar, no incluir o reabrir: al menos 20 "
                       "caracteres. Se envía a quien propuso y a quienes apoyaron."))
    merge_into = StringField(
        _l("Fusionar con la propuesta número (solo para fusionar)"),
        validators=[Length(max=20, message=_l("Escriba el número de una propuesta."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    next = HiddenField()


@reusable("hide")
class HideForm(FlaskForm):
    reason = StringField(_l("Motivo (se publica en lugar del contenido)"),
                         validators=[_REASON_LENGTH], render_kw={"maxlength": REASON_MAX})
    next = HiddenField()


@reusable("block")
class BlockForm(FlaskForm):
    reason = StringField(
        _l("Motivo del bloqueo"),
        validators=[DataRequired(_l("Indique el motivo.")), _REASON_LENGTH],
        render_kw={"maxlength": REASON_MAX},
        description=_l("La cuenta ya no podrá proponer, apoyar ni comentar; su contenido se "
                       "mantiene."))
    next = HiddenField()
