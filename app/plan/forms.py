"""Forms of the plan draft: a commitment in the OGP template, and its milestones."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import DateField, reusable
from app.models.plan import OGP_VALUES


class CommitmentForm(FlaskForm):
    title = StringField(_l("Título del compromiso"), validators=[
        DataRequired(_l("Escriba el título.")), Length(max=200)])
    problem = TextAreaField(_l("Problema público"), validators=[Optional()])
    cause = TextAreaField(_l("Causa del problema"), validators=[Optional()])
    description = TextAreaField(_l("Descripción del compromiso"), validators=[Optional()])
    contribution = TextAreaField(_l("Cómo contribuye a resolver el problema"),
                                 validators=[Optional()])
    ogp_values = SelectMultipleField(_l("Valores de gobierno abierto"),
                                     choices=[SelectChoice(v) for v in OGP_VALUES],
                                     validators=[Optional()])
    lead_institution = StringField(_l("Institución responsable"), validators=[Length(max=200)])
    partners = TextAreaField(_l("Otros actores involucrados"), validators=[Optional()])
    contact_name = StringField(_l("Nombre del contacto"), validators=[Length(max=120)])
    contact_role = StringField(_l("Cargo del contacto"), validators=[Length(max=120)])
    contact_email = EmailField(_l("Correo del contacto"), validators=[
        Optional(), Email(_l("Escriba un correo válido."), check_deliverability=False),
        Length(max=254)])
    start_date = DateField(_l("Fecha de inicio"), validators=[Optional()])
    end_date = DateField(_l("Fecha de fin"), validators=[Optional()])


@reusable("milestone")
class MilestoneForm(FlaskForm):
    description = TextAreaField(_l("Hito"), validators=[DataRequired(_l("Describa el hito."))])
    deliverable = TextAreaField(_l("Entregable verificable"), validators=[Optional()])
    responsible = StringField(_l("Institución responsable"), validators=[Length(max=200)])
    start_date = DateField(_l("Fecha de inicio"), validators=[Optional()])
    end_date = DateField(_l("Fecha de fin"), validators=[Optional()])


@reusable("version")
class VersionForm(FlaskForm):
    label = StringField(
        _l("Etiqueta de la versión (opcional)"),
        validators=[Length(max=120, message=_l("La etiqueta puede tener hasta 120 caracteres."))],
        render_kw={"maxlength": 120},
        description=_l("Por ejemplo: Borrador v2, 15-09-2018. Si la deja vacía se genera sola."))
