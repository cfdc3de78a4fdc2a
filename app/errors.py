"""Domain errors raised by services, and the error pages (never a bare 500 for bad input)."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class ServiceError(Exception):
    """A rule refused the action; `status` is the HTTP answer, `message` is for the user."""

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    status = 400


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


TITLES = {
    400: _l("Solicitud no válida"),
    401: _l("Necesita iniciar sesión"),
    403: _l("Acceso no permitido"),
    404: _l("Página no encontrada"),
    405: _l("Método no permitido"),
    409: _l("Acción no disponible"),
    413: _l("Contenido demasiado grande"),
    429: _l("Demasiadas solicitudes"),
    500: _l("Error del servidor"),
}
MESSAGES = {
    400: _l("Revise los datos enviados e intente de nuevo."),
    401: _l("Inicie sesión para continuar."),
    403: _l("Su cuenta no tiene permiso para esta acción."),
    404: _l("No encontramos lo que busca. Puede que la dirección sea incorrecta o que el "
            "contenido ya no esté disponible."),
    405: _l("Esta dirección no acepta ese tipo de solicitud."),
    409: _l("La acción no es posible en el estado actual."),
    413: _l("El contenido enviado es demasiado grande."),
    429: _l("Ha realizado demasiadas solicitudes. Espere un momento e intente de nuevo."),
    500: _l("Algo salió mal de nuestro lado. Ya quedó registrado; intente de nuevo más tarde."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, code: str | None = None):
    message = message or str(MESSAGES.get(status, MESSAGES[400]))
    if wants_json():
        body = {"error": {"code": code or str(status), "message": message}}
        return jsonify(body), status
    template = "errors/_error.html" if request.headers.get("HX-Request") else "errors/error.html"
    return render_template(
        template, status=status, title=TITLES.get(status, TITLES[400]), message=message
    ), status


def register(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service_error(error: ServiceError):
        return error_response(error.status, error.message)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return error_response(
            400, _("El formulario caducó o no es válido. Recargue la página e intente de nuevo."),
            code="csrf",
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response = error_response(error.code, _message_for(error), code=str(error.code))
        if error.code == 429:
            retry = getattr(error, "retry_after", None)
            if retry:
                response[0].headers["Retry-After"] = str(retry)
        # A 405 names the methods the address accepts (RFC 9110, 15.5.6).
        allow = [(name, value) for name, value in error.get_headers() if name == "Allow"]
        return (*response, allow) if allow else response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        from app.extensions import db

        db.session.rollback()
        return error_response(500)


def _message_for(error: HTTPException) -> str | None:
    # Our own abort(…, description) messages are shown; werkzeug's English defaults are not.
    description = getattr(error, "description", None)
    if description and description != type(error).description:
        return description
    return None
