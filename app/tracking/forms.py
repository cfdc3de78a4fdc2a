"""The tracking forms: a progress update (its milestone fields depend on the commitment),
naming a steward, a comment on an update."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.forms import IntegerField
from app.tracking.services import EVIDENCE_MAX, OBSTACLES_MAX, SUMMARY_MAX


class RepeatedField(Field):
    """Every value posted under one name (`evidence_url` may come several times)."""

    def process_formdata(self, valuelist):
        self.data = [value for value in valuelist if value and value.strip()]

    def _value(self):
        return ""


class UpdateForm(FlaskForm):
    summary = TextAreaField(_l("Resumen del avance"), validators=[
        DataRequired(_l("Resuma el avance del compromiso.")), Length(max=SUMMARY_MAX)],
        description=_l("Qué se hizo desde el último reporte. Admite Markdown."))
    progress = IntegerField(_l("Avance (%)"), validators=[
        InputRequired(_l("Indique el avance, de 0 a 100 %.")),
        NumberRange(0, 100, _l("El avance debe estar entre %(min)s y %(max)s %%."))])
    obstacles = TextAreaField(_l("Obstáculos (opcional)"), validators=[
        Length(max=OBSTACLES_MAX)])
    evidence_url = RepeatedField(
        _l("Enlaces de evidencia (opcional)"),
        description=_l("Direcciones web (https://…) de documentos, datos o publicaciones; "
                       "hasta %(n)d.", n=EVIDENCE_MAX))
    # Errors about the milestones as a whole (a milestone of another commitment).
    milestones = HiddenField()


def update_form_for(commitment, labels: dict, **kwargs) -> UpdateForm:
    """An UpdateForm with a `milestone-<id>-status` select per milestone of `commitment`,
    preselected with its current status. `labels`: {status: label}."""
    class CommitmentUpdateForm(UpdateForm):
        pass

    choices = [SelectChoice(value, label) for value, label in labels.items()]
    for number, milestone in enumerate(commitment.milestones, start=1):
        setattr(CommitmentUpdateForm, f"milestone-{milestone.id}-status", SelectField(
            _l("Hito %(n)d", n=number), choices=choices, default=milestone.status,
            validate_choice=False, description=milestone.description))
    form = CommitmentUpdateForm(**kwargs)
    form.milestone_fields = [form[f"milestone-{m.id}-status"] for m in commitment.milestones]
    return form


class StewardForm(FlaskForm):
    email = StringField(_l("Correo de la cuenta del servidor público"), validators=[
        DataRequired(_l("Escriba el correo de la cuenta del servidor público.")),
        Length(max=254)])


class UpdateCommentForm(FlaskForm):
    body = TextAreaField(_l("Su comentario"), validators=[
        DataRequired(_l("Escriba su comentario.")), Length(max=5000)])
