"""The repository's forms: filing a document and withdrawing one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.models.document import DOCUMENT_TYPES
from app.repository.services import REASON_MAX, REASON_MIN

TYPE_LABELS = {
    "agenda": _l("Agenda"),
    "minutes": _l("Minuta"),
    "attendance": _l("Lista de asistencia"),
    "plan": _l("Plan de acción"),
    "self_assessment": _l("Autoevaluación"),
    "irm_report": _l("Informe del IRM"),
    "evidence": _l("Evidencia de avance"),
    "other": _l("Otro"),
}
assert tuple(TYPE_LABELS) == DOCUMENT_TYPES


def optional_int(value):
    """A number as int; "" (no choice) or anything else as None."""
    if isinstance(value, int):
        return value
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class UploadForm(FlaskForm):
    file = FileField(_l("Archivo"))  # its hint, with the size limit, is set by the view
    title = StringField(_l("Título"), validators=[
        DataRequired(_l("Escriba el título del documento.")),
        Length(max=200, message=_l("El título puede tener hasta 200 caracteres."))])
    type = SelectField(_l("Tipo de documento"),
                       choices=[SelectChoice(value, label) for value, label in TYPE_LABELS.items()],
                       validators=[DataRequired(_l("Seleccione el tipo de documento."))])
    document_date = DateField(_l("Fecha del documento"), validators=[
        DataRequired(_l("Indique la fecha del documento (AAAA-MM-DD)."))])
    # Checked by the service (a mesa or a commitment decides the plan), not as a choice.
    plan_id = SelectField(
        _l("Plan de acción"), coerce=optional_int, validate_choice=False,
        description=_l("Si elige una mesa o un compromiso, el documento queda en su plan."))
    mesa_id = SelectField(_l("Mesa (opcional)"), coerce=optional_int)
    commitment_id = SelectField(_l("Compromiso (opcional)"), coerce=optional_int)

    def set_choices(self, plans, mesas, commitments) -> None:
        none = [SelectChoice("", "—")]
        self.plan_id.choices = [SelectChoice(plan.id, f"{plan.title} {plan.period}")
                                for plan in plans]
        self.mesa_id.choices = none + [
            SelectChoice(mesa.id, f"{mesa.number}. {mesa.display_title}") for mesa in mesas]
        self.commitment_id.choices = none + [
            SelectChoice(commitment.id, f"{commitment.number}. {commitment.title}")
            for commitment in commitments]


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Motivo del retiro (público)"), validators=[
        DataRequired(_l("Explique por qué se retira el documento.")),
        Length(min=REASON_MIN, max=REASON_MAX,
               message=_l("Explique el motivo en %(min)d a %(max)d caracteres."))])
