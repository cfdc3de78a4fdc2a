"""Sign-up, sign-in and password reset forms."""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.templating import SECTOR_LABELS


def sector_choices():
    return [SelectChoice("", _l("Seleccione su sector"))] + [
        SelectChoice(value, label) for value, label in SECTOR_LABELS.items()]


def password_length(form, field):
    """Between PASSWORD_MIN_LENGTH and 200 characters (every form that sets a password)."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if field.data and len(field.data) < minimum:
        raise ValidationError(_l("La contraseña debe tener al menos %(n)d caracteres.", n=minimum))
    if field.data and len(field.data) > 200:
        raise ValidationError(_l("La contraseña no puede tener más de 200 caracteres."))


class RegisterForm(FlaskForm):
    email = EmailField(_l("Correo electrónico"), validators=[
        DataRequired(_l("Escriba su correo electrónico.")),
        Email(_l("Escriba un correo electrónico válido, por ejemplo nombre@dominio.org."),
              check_deliverability=False),
        Length(max=254)])
    display_name = StringField(_l("Nombre para mostrar"), validators=[
        DataRequired(_l("Escriba su nombre.")),
        Length(max=80, message=_l("El nombre puede tener hasta 80 caracteres."))],
        description=_l("Se muestra junto a sus propuestas y comentarios."))
    password = PasswordField(_l("Contraseña"), validators=[
        DataRequired(_l("Escriba una contraseña.")), password_length],
        description=_l("Al menos 10 caracteres."))
    password_confirm = PasswordField(_l("Repita la contraseña"), validators=[
        DataRequired(_l("Repita la contraseña.")),
        EqualTo("password", _l("Las contraseñas no coinciden."))])
    sector = SelectField(_l("Sector"), choices=sector_choices, validators=[
        DataRequired(_l("Seleccione el sector que representa."))],
        description=_l("Permite publicar la participación por sector."))
    organization = StringField(_l("Organización (opcional)"), validators=[
        Optional(), Length(max=200, message=_l("Hasta 200 caracteres."))])
    accept_terms = BooleanField(_l("Acepto las condiciones de uso y la política de privacidad"),
                                validators=[DataRequired(_l("Debe aceptar las condiciones."))])
    # Honeypot: hidden from people, filled in by naive bots (checked in the view).
    website = StringField(_l("No llene este campo"), validators=[Optional()])
    # A signed timestamp of when the form was shown: bots send it back within a second.
    form_started = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.accept_terms.label.text = terms_label()


def terms_label() -> Markup:
    """The sign-up checkbox's label, linking to the terms and the privacy notice."""
    return Markup(_(  # noqa: S704 - our own catalogue; only the URLs vary, escaped
        'Acepto las <a href="%(terms)s">condiciones de uso</a> y el '
        '<a href="%(privacy)s">aviso de privacidad</a>',
        terms=escape(url_for("main.terms")), privacy=escape(url_for("main.privacy"))))


class ConfirmResendForm(FlaskForm):
    """Only the CSRF token: asks for a new confirmation email."""


class LoginForm(FlaskForm):
    email = EmailField(_l("Correo electrónico"), validators=[
        DataRequired(_l("Escriba su correo electrónico.")), Length(max=254)])
    password = PasswordField(_l("Contraseña"), validators=[
        DataRequired(_l("Escriba su contraseña.")), Length(max=200)])
    remember = BooleanField(_l("Mantener la sesión iniciada en este dispositivo"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Correo electrónico"), validators=[
        DataRequired(_l("Escriba su correo electrónico.")), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("Nueva contraseña"), validators=[
        DataRequired(_l("Escriba una contraseña.")), password_length],
        description=_l("Al menos 10 caracteres."))
    password_confirm = PasswordField(_l("Repita la contraseña"), validators=[
        DataRequired(_l("Repita la contraseña.")),
        EqualTo("password", _l("Las contraseñas no coinciden."))])
