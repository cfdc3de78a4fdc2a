"""`flask demo`: realistic Spanish demo content, and the schedule moved to the coming weeks."""
from __future__ import annotations

import importlib
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.auth.passwords import hash_password
from app.cli.reference import seed_reference_data
from app.extensions import db
from app.models import Mesa, Theme, User
from app.models.base import utcnow

DEMO_PASSWORD = "cocrea-demo-2018"  # noqa: S105 - published demo accounts, development only
DEMO_USERS = (
    # email, display name, role, sector, organization, institution
    ("moderadora@demo.cocrea.gt", "Ana Lucía Pérez", "moderator", "sector_publico",
     "Comisión Presidencial de Gobierno Abierto", "Comisión Presidencial de Gobierno Abierto"),
    ("admin@demo.cocrea.gt", "Carlos Méndez", "admin", "sector_publico",
     "Comisión Presidencial de Gobierno Abierto", None),
    ("servidor@demo.cocrea.gt", "María José Castillo", "public_servant", "sector_publico",
     "Ministerio de Finanzas Públicas", "Ministerio de Finanzas Públicas"),
    ("sociedad@demo.cocrea.gt", "Jorge Xicará", "participant", "sociedad_civil",
     "Acción Ciudadana", None),
    ("ong@demo.cocrea.gt", "Sofía Tzul", "participant", "sociedad_civil",
     "Red Ciudadana", None),
    ("empresa@demo.cocrea.gt", "Luis Fernando Ortiz", "participant", "sector_privado",
     "Cámara de Industria", None),
    ("muni@demo.cocrea.gt", "Rosa Coc", "participant", "gobierno_local",
     "Municipalidad de Cobán", None),
    ("academia@demo.cocrea.gt", "Dr. Ernesto Barrios", "participant", "academia",
     "Universidad de San Carlos de Guatemala", None),
    ("cooperacion@demo.cocrea.gt", "Helen Martin", "participant", "cooperacion_internacional",
     "Cooperación internacional", None),
    ("ciudadana@demo.cocrea.gt", "Gabriela Ajú", "participant", "ciudadania", None, None),
)
# Modules that contribute demo content, each with an `add_demo_content()` function.
DEMO_CONTENT_MODULES = (
    "app.datasets.demo_proposals", "app.datasets.demo_comments", "app.datasets.demo_plan",
    "app.repository.demo_data",
    "app.tracking.demo_data",
)


def move_schedule_to_coming_weeks() -> int:
    """Shift the current plan's co-creation mesas and theme windows by whole weeks so the
    first mesa is next week (the demo's past forum meeting stays in the past).

    Whole weeks keep the seed's weekdays, hours and order. Returns the shift in weeks.
    """
    from app.plans.services import current_plan_id_subquery

    plan_id = current_plan_id_subquery()
    seeded = (Mesa.plan_id == plan_id) & (Mesa.kind == "cocreation")
    first = db.session.scalar(select(func.min(Mesa.starts_at)).where(seeded))
    if first is None:
        return 0
    target = utcnow() + timedelta(days=7)
    weeks = max(0, -(-(target - first).days // 7))
    if weeks == 0:
        return 0
    delta = timedelta(weeks=weeks)
    for mesa in db.session.scalars(select(Mesa).where(seeded)):
        mesa.starts_at += delta
        mesa.ends_at += delta
    for theme in db.session.scalars(select(Theme).where(Theme.plan_id == plan_id)):
        for name in ("proposals_open_at", "proposals_close_at", "voting_open_at",
                     "voting_close_at"):
            value = getattr(theme, name)
            if value is not None:
                setattr(theme, name, value + delta)
    db.session.flush()
    return weeks


def add_demo_users() -> list[User]:
    users = []
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, role, sector, organization, institution in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, display_name=name, role=role, sector=sector,
                        organization=organization, institution=institution,
                        password_hash=password_hash, email_confirmed_at=utcnow())
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def add_demo_content() -> None:
    seed_reference_data()
    add_demo_users()
    for module_name in DEMO_CONTENT_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        module.add_demo_content()
    db.session.flush()


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when there are no participants yet.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Add demo participants and content, and move the schedule to the coming weeks."""
    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo("demo: the database already has accounts; nothing added")
        return
    add_demo_content()
    weeks = move_schedule_to_coming_weeks()
    db.session.commit()
    click.echo(f"demo: content added; schedule moved {weeks} week(s) ahead. "
               f"Demo accounts use the password {DEMO_PASSWORD!r}.")
