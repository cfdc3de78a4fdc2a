"""Template filters and globals: dates in Guatemala's time zone, the htmx script tag."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.models.plan import OGP_VALUES
from app.models.user import SECTORS
from app.text import render_markdown

SECTOR_LABELS = {
    "sociedad_civil": _l("Sociedad civil"),
    "sector_publico": _l("Sector público"),
    "sector_privado": _l("Sector privado"),
    "gobierno_local": _l("Gobierno local"),
    "academia": _l("Academia"),
    "cooperacion_internacional": _l("Cooperación internacional"),
    "ciudadania": _l("Ciudadanía (persona individual)"),
}
assert set(SECTOR_LABELS) == set(SECTORS)

ROLE_LABELS = {
    "participant": _l("Participante"),
    "public_servant": _l("Servidor público"),
    "moderator": _l("Moderador"),
    "admin": _l("Administrador"),
}

STATUS_LABELS = {
    "open": _l("Abierta"),
    "under_review": _l("En revisión"),
    "accepted": _l("Aceptada"),
    "merged": _l("Fusionada"),
    "rejected": _l("No incluida"),
}

OGP_VALUE_LABELS = {
    "transparency": _l("Transparencia"),
    "participation": _l("Participación ciudadana"),
    "accountability": _l("Rendición de cuentas"),
    "technology": _l("Tecnología e innovación"),
}
OGP_VALUE_HELP = {
    "transparency": _l("Más información pública, de mejor calidad y más accesible."),
    "participation": _l("La ciudadanía incide en las decisiones públicas."),
    "accountability": _l("Reglas y mecanismos para que las autoridades respondan por sus actos."),
    "technology": _l("Tecnología e innovación al servicio de los otros valores."),
}
assert set(OGP_VALUE_LABELS) == set(OGP_VALUES)


def long_date(value: date | datetime | None) -> str:
    """"jueves 5 de julio de 2018" in Spanish, "Thursday, July 5, 2018" in English."""
    if value is None:
        return ""
    if str(get_locale()) == "es":
        pattern = "EEEE d 'de' MMMM 'de' y"
    else:
        pattern = "EEEE, MMMM d, y"
    if isinstance(value, datetime):
        return format_datetime(value, pattern)
    return format_date(value, pattern)


def short_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "dd-MM-y HH:mm")


def short_date(value: date | datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):  # an ISO date from a serialized document
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        return format_datetime(value, "dd-MM-y")
    return format_date(value, "dd-MM-y")


def time_of_day(value: datetime | None) -> str:
    return format_datetime(value, "HH:mm") if value else ""


def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@lru_cache(maxsize=4096)
def markdown_filter(source: str | None) -> Markup:
    """Sanitized HTML for trusted-pipeline text that has no stored *_html column."""
    return Markup(render_markdown(source or ""))  # noqa: S704 - nh3-sanitized in render_markdown


def htmx_script() -> Markup:
    url = current_app.config.get("HTMX_URL")
    if url:
        sri = current_app.config.get("HTMX_SRI")
        integrity = f' integrity="{escape(sri)}" crossorigin="anonymous"' if sri else ""
        # Every interpolated value is escaped; the rest is a fixed tag.
        return Markup(f'<script src="{escape(url)}"{integrity} defer></script>')  # noqa: S704
    src = url_for("static", filename="vendor/htmx-2.0.4.min.js")
    return Markup(f'<script src="{escape(src)}" defer></script>')  # noqa: S704


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        long_date=long_date, short_datetime=short_datetime, short_date=short_date,
        time_of_day=time_of_day, iso=iso, markdown=markdown_filter,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    # Globals, not a context processor, so imported macros see them without "with context".
    app.jinja_env.globals.update(
        htmx_script=htmx_script, SECTOR_LABELS=SECTOR_LABELS, ROLE_LABELS=ROLE_LABELS,
        STATUS_LABELS=STATUS_LABELS, OGP_VALUE_LABELS=OGP_VALUE_LABELS,
        OGP_VALUE_HELP=OGP_VALUE_HELP,
    )

    @app.context_processor
    def _per_request():
        return {
            "current_locale": str(get_locale()),
            "is_htmx": bool(request.headers.get("HX-Request")),
        }
