"""Template filters and globals: dates in Guatemala's time zone, the htmx script tag."""
from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_app_context, request, url_for
from flask_babel import LazyString, format_date, format_datetime, get_locale, get_translations
from flask_babel import gettext as babel_gettext
from markupsafe import Markup, escape

from app.i18n import GUATEMALA_TZ
from app.models.plan import OGP_VALUES
from app.models.user import SECTORS
from app.text import excerpt, render_markdown
from app.urls import absolute_url, comment_url


def _translations():
    """This request's gettext catalogue, looked up once per locale object.

    Flask-Babel resolves the domain, the locale and its catalogue on every call (~10 us);
    a theme page makes ~100 calls. The catalogue is kept next to the locale Flask-Babel
    stores for the request (its `g._flask_babel` namespace) and reused only while that same
    locale object is current, so `refresh()` and `force_locale()` are honoured.
    """
    try:
        state = g._flask_babel
        cached = state.cocrea_translations
        if cached[0] is state.babel_locale:
            return cached[1]
    except (AttributeError, RuntimeError):  # first call, or outside an application context
        pass
    locale = get_locale()
    translations = get_translations()
    state = getattr(g, "_flask_babel", None) if has_app_context() else None
    if state is not None and locale is not None:
        state.cocrea_translations = (locale, translations)
    return translations


def fast_gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext, with the catalogue looked up once per request."""
    if not has_app_context():
        return babel_gettext(string, **variables)
    text = _translations().ugettext(string)
    return text % variables if variables else text


def _l(string: str) -> LazyString:
    """lazy_gettext on the fast path (extracted by pybabel like Flask-Babel's `_l`)."""
    return LazyString(fast_gettext, string)


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


# Dates are formatted directly (Babel's pattern engine costs ~35 us a date, and a listing
# shows dozens): Guatemala's time, digits, and the day and month names of each language.
# The output is identical to Babel's for "es" and "en" (tests/templating).
LOCAL_TZ = ZoneInfo(GUATEMALA_TZ)
DAY_NAMES = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTH_NAMES = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def _local(value: datetime) -> datetime:
    """A datetime in Guatemala's time zone (naive values are UTC, as Flask-Babel assumes)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def _language() -> str:
    return getattr(get_locale(), "language", None) or "es"


def long_date(value: date | datetime | None) -> str:
    """"jueves 5 de julio de 2018" in Spanish, "Thursday, July 5, 2018" in English."""
    if value is None:
        return ""
    language = _language()
    if language not in DAY_NAMES:  # a language without a table: Babel's own names
        pattern = "EEEE, MMMM d, y"
        if isinstance(value, datetime):
            return format_datetime(value, pattern)
        return format_date(value, pattern)
    if isinstance(value, datetime):
        value = _local(value)
    day = DAY_NAMES[language][value.weekday()]
    month = MONTH_NAMES[language][value.month - 1]
    if language == "es":
        return f"{day} {value.day} de {month} de {value.year}"
    return f"{day}, {month} {value.day}, {value.year}"


def _dmy(value: date) -> str:
    return f"{value.day:02d}-{value.month:02d}-{value.year}"


def short_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    value = _local(value)
    return f"{_dmy(value)} {value.hour:02d}:{value.minute:02d}"


def short_date(value: date | datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):  # an ISO date from a serialized document
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = _local(value)
    return _dmy(value)


def time_of_day(value: datetime | None) -> str:
    if not value:
        return ""
    value = _local(value)
    return f"{value.hour:02d}:{value.minute:02d}"


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


FRAGMENTS_KEPT = 256
_fragments: dict[tuple, Markup] = {}


def kept_fragment(template: str, **context) -> Markup:
    """`template` rendered with `context` (hashable values only) as safe HTML, kept per
    process for each (template, context, language, URL prefix).

    For the pieces every page repeats whose HTML depends on nothing else: the main
    navigation, the current-plan banner, the footer (~30 links and labels, a few
    milliseconds a page). Such a template must read only its `context` (and the language,
    static URLs and routes, which are fixed for a process): never the user, the session, a
    CSRF token or the request's path. At most FRAGMENTS_KEPT renders are kept (then the
    table starts again)."""
    key = (template, tuple(sorted(context.items())), str(get_locale()), request.script_root)
    html = _fragments.get(key)
    if html is None:
        if len(_fragments) >= FRAGMENTS_KEPT:
            _fragments.clear()
        # Rendered by Jinja with autoescape on: the result is already safe HTML.
        html = Markup(current_app.jinja_env.get_template(template).render(  # noqa: S704
            context))
        _fragments[key] = html
    return html


# Stands for an item's id in a blank form rendered once per request (`stamped`).
SENTINEL_ID = 987_654_321_987


def stamped(key: tuple, render, item_id: int) -> Markup:
    """`render(SENTINEL_ID)` (HTML that depends on an item only through its id) rendered once
    per request under `key`, with the sentinel replaced by `item_id` (an int).

    For the forms a list repeats per item (a report form per comment, a reply form per
    thread): blank ones differ only in the item's id, in their addresses and element ids, so
    a page of a hundred comments renders each form once instead of a hundred times. The
    sentinel is twelve digits no address, id or token of the page holds otherwise."""
    blanks = request.environ.setdefault("cocrea.stamped", {})
    blank = blanks.get(key)
    if blank is None:
        blank = blanks[key] = str(render(SENTINEL_ID))
    # `render` returns autoescaped HTML, and an int needs no escaping.
    return Markup(blank.replace(str(SENTINEL_ID), str(int(item_id))))  # noqa: S704


def page_url() -> str:
    """This page's absolute address on BASE_URL without its query (og:url): the one place
    pages build it. Raises RuntimeError when BASE_URL is unset (production requires it)."""
    return absolute_url(request.endpoint or "main.index", **(request.view_args or {}))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        long_date=long_date, short_datetime=short_datetime, short_date=short_date,
        time_of_day=time_of_day, iso=iso, markdown=markdown_filter, excerpt=excerpt,
    )
    # Templates' _() / ngettext() with the catalogue looked up once per request (after
    # Flask-Babel installed its own; same semantics, newstyle i18n).
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: _translations().ugettext(string),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: _translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(
            context, singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    # Globals, not a context processor, so imported macros see them without "with context".
    app.jinja_env.globals.update(
        htmx_script=htmx_script, SECTOR_LABELS=SECTOR_LABELS, ROLE_LABELS=ROLE_LABELS,
        STATUS_LABELS=STATUS_LABELS, OGP_VALUE_LABELS=OGP_VALUE_LABELS,
        OGP_VALUE_HELP=OGP_VALUE_HELP, comment_url=comment_url, page_url=page_url,
        kept_fragment=kept_fragment,
    )

    @app.context_processor
    def _per_request():
        return {
            "current_locale": str(get_locale()),
            "is_htmx": bool(request.headers.get("HX-Request")),
        }
