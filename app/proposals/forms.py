"""The proposal form, in the structure of the OGP commitment template.

The form only carries the fields and their help; every rule lives in services.py, so the
web form, the tests and any future client are held to the same checks.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField

from app.models.plan import OGP_VALUES
from app.models.proposal import BODY_MAX, TITLE_MAX
from app.templating import OGP_VALUE_LABELS

FIELDS = ("title", "problem", "cause", "description", "contribution", "ogp_values",
          "lead_institution", "partners")


class ProposalForm(FlaskForm):
    theme = SelectField(
        _l("Temática"), validate_choice=False,
        description=_l("La mesa técnica de trabajo donde se discutirá su propuesta."))
    title = StringField(
        _l("Título"), render_kw={"maxlength": TITLE_MAX, "autocomplete": "off"},
        description=_l("Una frase que resuma el compromiso (hasta 150 caracteres)."))
    problem = TextAreaField(
        _l("Problema público"), render_kw={"maxlength": BODY_MAX},
        description=_l("¿Cuál es el problema público que el compromiso atiende? Describa a "
                       "quién afecta y cómo, con datos si los tiene."))
    cause = TextAreaField(
        _l("Causa del problema (opcional)"), render_kw={"maxlength": BODY_MAX},
        description=_l("¿Cuáles son las causas del problema? Lo que lo origina, no sus "
                       "efectos."))
    description = TextAreaField(
        _l("Descripción del compromiso"), render_kw={"maxlength": BODY_MAX},
        description=_l("¿Qué se propone hacer? Describa el compromiso y el resultado que "
                       "espera al final del plan de acción."))
    contribution = TextAreaField(
        _l("Cómo contribuye a resolver el problema (opcional)"),
        render_kw={"maxlength": BODY_MAX},
        description=_l("¿Cómo ayudará el compromiso a resolver el problema público? Qué "
                       "cambiará en la práctica."))
    ogp_values = SelectMultipleField(
        _l("Valores de gobierno abierto"), validate_choice=False,
        choices=[SelectChoice(value, OGP_VALUE_LABELS[value]) for value in OGP_VALUES],
        description=_l("¿Por qué el compromiso es relevante para los valores de gobierno "
                       "abierto? Marque los que correspondan."))
    lead_institution = StringField(
        _l("Institución responsable (opcional)"), render_kw={"maxlength": 200},
        description=_l("La entidad pública que dirigiría la implementación."))
    partners = StringField(
        _l("Otros actores involucrados (opcional)"), render_kw={"maxlength": 500},
        description=_l("Otras entidades públicas, organizaciones de sociedad civil, sector "
                       "privado o academia que participarían."))

    def proposal_data(self) -> dict:
        return {name: self[name].data for name in FIELDS}
