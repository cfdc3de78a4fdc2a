"""The account page form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.auth.forms import password_length, sector_choices


class AccountForm(FlaskForm):
    display_name = StringField(_l("Nombre para mostrar"), validators=[
        DataRequired(_l("Escriba su nombre.")),
        Length(max=80, message=_l("El nombre puede tener hasta 80 caracteres."))])
    sector = SelectField(_l("Sector"), choices=sector_choices, validators=[
        DataRequired(_l("Seleccione el sector que representa."))])
    organization = StringField(_l("Organización (opcional)"), validators=[
        Optional(), Length(max=200, message=_l("Hasta 200 caracteres."))])
    locale = SelectField(_l("Idioma"), choices=[SelectChoice("es", "Español"),
                                                        SelectChoice("en", "English")])
    list_in_attendance = BooleanField(
        _l("Mostrar mi nombre en las listas de asistencia públicas de las mesas"),
        description=_l("Sin esta opción, las listas publicadas muestran solo su organización "
                       "y su sector."))
    notify_comments = BooleanField(_l("Avisarme por correo de comentarios en mis propuestas"))
    notify_replies = BooleanField(_l("Avisarme por correo de respuestas a mis comentarios"))
    notify_decisions = BooleanField(
        _l("Avisarme por correo de decisiones sobre propuestas que apoyo o escribí"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Contraseña actual"), validators=[
        DataRequired(_l("Escriba su contraseña para confirmar.")), Length(max=200)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Contraseña actual"), validators=[
        DataRequired(_l("Escriba su contraseña actual.")), Length(max=200)])
    password = PasswordField(_l("Nueva contraseña"), validators=[
        DataRequired(_l("Escriba una contraseña.")), password_length],
        description=_l("Al menos 10 caracteres."))
    password_confirm = PasswordField(_l("Repita la nueva contraseña"), validators=[
        DataRequired(_l("Repita la contraseña.")),
        EqualTo("password", _l("Las contraseñas no coinciden."))])


class RevokeSessionForm(FlaskForm):
    """Only the CSRF token: ends one session, or every other one."""
