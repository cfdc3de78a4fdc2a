"""Reference data from the 2018 call (shared/seed): the plan, the 12 themes, the 12 mesas,
and the previous plan (2016-2018, five axes) in implementation."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import ActionPlan, Mesa, Theme

GUATEMALA = ZoneInfo("America/Guatemala")
PLAN_SLUG = "4to-plan-2018-2020"
PLAN_TITLE = "Cuarto Plan de Acción Nacional de Gobierno Abierto"
PLAN_PERIOD = "2018-2020"
PLAN_INTRO = (
    "Durante junio y julio de 2018 la Mesa Técnica de Gobierno Abierto (84 entidades "
    "participantes: entidades públicas, organizaciones de sociedad civil, sector privado, "
    "gobiernos locales y observadores) co-crea el 4to. Plan de Acción Nacional de Gobierno "
    "Abierto 2018-2020, que busca contribuir con la transparencia, los mecanismos "
    "anticorrupción y el desarrollo de Guatemala, en 12 mesas de trabajo temáticas."
)
MESA_START = time(8, 0)
MESA_END = time(15, 0)
DEFAULT_PLACE = "Ciudad de Guatemala (sede por confirmar)"
DEFAULT_CAPACITY = 100

# (number, date, theme) exactly as the seed's schedule lists them.
SCHEDULE = (
    (1, date(2018, 7, 5), "Mecanismos de Transparencia y Anticorrupción"),
    (2, date(2018, 7, 6), "Educación"),
    (3, date(2018, 7, 9), "Gobiernos Locales"),
    (4, date(2018, 7, 10), "Transparencia Fiscal, Compras y Contrataciones Públicas"),
    (5, date(2018, 7, 11), "Ambiente y Recursos Naturales"),
    (6, date(2018, 7, 12), "Innovación en la Gestión Pública"),
    (7, date(2018, 7, 13), "Salud y Seguridad Alimentaria"),
    (8, date(2018, 7, 23), "Protección e Inclusión Social"),
    (9, date(2018, 7, 24), "Inversión y Empleo"),
    (10, date(2018, 7, 25), "Gobierno Electrónico y Servicios Públicos en Línea"),
    (11, date(2018, 7, 26), "Fortalecimiento Institucional, Seguridad y Justicia"),
    (12, date(2018, 7, 27), "Transparencia en los Procesos Electorales"),
)
# Proposals and supports are taken from the start of the co-creation (June 2018) until four
# weeks after each theme's mesa, so what is said at the mesa can still be written down.
WINDOW_OPENS = date(2018, 6, 1)
WINDOW_AFTER_MESA = timedelta(weeks=4)


# The previous plan, as the seed names it: "Tercer Plan de Acción Nacional de Gobierno
# Abierto 2016-2018, basado en 5 ejes de trabajo ... vigencia del 15 de agosto 2016 al 30 de
# junio 2018; 22 compromisos". In implementation when the 2018 call is published.
PREVIOUS_PLAN_SLUG = "3er-plan-2016-2018"
PREVIOUS_PLAN_TITLE = "Tercer Plan de Acción Nacional de Gobierno Abierto"
PREVIOUS_PLAN_PERIOD = "2016-2018"
PREVIOUS_PLAN_INTRO = (
    "El Tercer Plan de Acción Nacional de Gobierno Abierto 2016-2018, basado en 5 ejes de "
    "trabajo, fue co-creado e implementado con el apoyo de todas las instancias que "
    "participan en la iniciativa. Tiene vigencia del 15 de agosto de 2016 al 30 de junio de "
    "2018 y reúne 22 compromisos."
)
PREVIOUS_PLAN_AXES = (
    "Acceso a la Información Pública",
    "Innovación Tecnológica",
    "Participación ciudadana",
    "Rendición de Cuentas",
    "Transparencia Fiscal",
)
PREVIOUS_PLAN_CREATED = datetime(2016, 8, 15, 8, 0, tzinfo=GUATEMALA)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text.lower()).split()
    return "-".join(words)


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=GUATEMALA)


def seed_reference_data() -> dict[str, int]:
    """Create what is missing; never touches rows that exist (idempotent)."""
    created = {"plans": 0, "themes": 0, "mesas": 0}
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.slug == PLAN_SLUG))
    if plan is None:
        # The 2018 plan is current only on a database that has none yet.
        has_current = db.session.scalar(
            select(ActionPlan.id).where(ActionPlan.is_current.is_(True))) is not None
        plan = ActionPlan(slug=PLAN_SLUG, title=PLAN_TITLE, period=PLAN_PERIOD, intro=PLAN_INTRO,
                          is_current=not has_current)
        db.session.add(plan)
        db.session.flush()
        created["plans"] += 1
    for number, day, name in SCHEDULE:
        slug = slugify(name)
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        if theme is None:
            closes = local(day + WINDOW_AFTER_MESA, MESA_END)
            theme = Theme(
                plan_id=plan.id, slug=slug, name=name, position=number,
                description=f"Mesa de trabajo {number}: {name}.",
                proposals_open_at=local(WINDOW_OPENS, time(0, 0)), proposals_close_at=closes,
                voting_open_at=local(WINDOW_OPENS, time(0, 0)), voting_close_at=closes,
            )
            db.session.add(theme)
            db.session.flush()
            created["themes"] += 1
        if db.session.scalar(select(Mesa.id).where(Mesa.theme_id == theme.id).limit(1)) is None:
            db.session.add(Mesa(
                plan_id=theme.plan_id, kind="cocreation", theme_id=theme.id, number=number,
                starts_at=local(day, MESA_START),
                ends_at=local(day, MESA_END), place=DEFAULT_PLACE, capacity=DEFAULT_CAPACITY,
            ))
            created["mesas"] += 1
    db.session.flush()
    created_previous = seed_previous_plan()
    created["plans"] += created_previous["plans"]
    created["themes"] += created_previous["themes"]
    return created


def seed_previous_plan() -> dict[str, int]:
    """The 3rd plan (2016-2018) in implementation, with its five axes as themes; never
    current, never changed once there (idempotent)."""
    created = {"plans": 0, "themes": 0}
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.slug == PREVIOUS_PLAN_SLUG))
    if plan is None:
        plan = ActionPlan(slug=PREVIOUS_PLAN_SLUG, title=PREVIOUS_PLAN_TITLE,
                          period=PREVIOUS_PLAN_PERIOD, intro=PREVIOUS_PLAN_INTRO,
                          status="implementation", is_current=False,
                          created_at=PREVIOUS_PLAN_CREATED)
        db.session.add(plan)
        db.session.flush()
        created["plans"] += 1
    for position, name in enumerate(PREVIOUS_PLAN_AXES, start=1):
        slug = f"{slugify(name)}-{PREVIOUS_PLAN_PERIOD}"
        if db.session.scalar(select(Theme.id).where(Theme.slug == slug)) is None:
            # Its windows closed long ago: the plan takes no proposals any more.
            db.session.add(Theme(
                plan_id=plan.id, slug=slug, name=name, position=position,
                description=f"Eje {position} del Tercer Plan de Acción: {name}.",
                proposals_open_at=None, proposals_close_at=PREVIOUS_PLAN_CREATED,
                voting_open_at=None, voting_close_at=PREVIOUS_PLAN_CREATED))
            created["themes"] += 1
    db.session.flush()
    return created


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the reference data: the plan, the 12 themes and the 12 mesas, and the 3rd plan
    2016-2018 with its five axes (idempotent)."""
    created = seed_reference_data()
    db.session.commit()
    click.echo("seed: created {plans} plan(s), {themes} theme(s), {mesas} mesa(s)"
               .format(**created))
