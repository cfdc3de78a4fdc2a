"""Demo implementation: the 3rd plan (2016-2018) gets its 22 commitments (as the seed
counts them), each with milestones, a steward, progress updates and a follower, so that
/tracking is alive on `make run`. Called by `flask demo` after the other demo content;
updates go through the tracking verbs (no follower exists yet when they are posted, so no
email leaves)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from app.cli.reference import GUATEMALA, PREVIOUS_PLAN_SLUG, seed_previous_plan
from app.extensions import db
from app.models import ActionPlan, Commitment, CommitmentFollower, Milestone, Theme, User
from app.tracking import services

COPRET = "Comisión Presidencial de Transparencia y Gobierno Electrónico"
MINFIN = "Ministerio de Finanzas Públicas"
SEGEPLAN = "Secretaría de Planificación y Programación de la Presidencia"
# (axis position, title, lead institution), four or five per axis: 22 in all.
COMMITMENTS = (
    (1, "Fortalecimiento de las unidades de información pública", COPRET),
    (1, "Capacitación a sujetos obligados de la Ley de Acceso a la Información", COPRET),
    (1, "Iniciativa de ley de archivos públicos", "Archivo General de Centro América"),
    (1, "Acceso a la información en los gobiernos locales",
     "Asociación Nacional de Municipalidades"),
    (1, "Información pública en idiomas mayas", "Academia de Lenguas Mayas de Guatemala"),
    (2, "Política nacional de datos abiertos", COPRET),
    (2, "Portal único de datos abiertos", COPRET),
    (2, "Trámites en línea para la ciudadanía", "Ministerio de Economía"),
    (2, "Interoperabilidad de los registros del Estado", "Registro Nacional de las Personas"),
    (3, "Participación ciudadana en los consejos de desarrollo", SEGEPLAN),
    (3, "Mecanismo de consulta de políticas públicas", SEGEPLAN),
    (3, "Auditoría social de los servicios de salud",
     "Ministerio de Salud Pública y Asistencia Social"),
    (3, "Participación de las juventudes en la gestión pública", "Consejo Nacional de la Juventud"),
    (4, "Informes de rendición de cuentas de las instituciones", COPRET),
    (4, "Rendición de cuentas de las municipalidades", "Contraloría General de Cuentas"),
    (4, "Seguimiento público a las recomendaciones de auditoría",
     "Contraloría General de Cuentas"),
    (4, "Transparencia en la obra pública (CoST)",
     "Ministerio de Comunicaciones, Infraestructura y Vivienda"),
    (4, "Declaraciones patrimoniales en datos abiertos", "Contraloría General de Cuentas"),
    (5, "Presupuesto abierto y ciudadano", MINFIN),
    (5, "Fortalecimiento de Guatecompras", MINFIN),
    (5, "Transparencia en las industrias extractivas (EITI)", "Ministerio de Energía y Minas"),
    (5, "Calidad del gasto en educación", "Ministerio de Educación"),
)
MILESTONES = (
    ("Diagnóstico y hoja de ruta con sociedad civil", date(2016, 9, 1), date(2016, 12, 15)),
    ("Implementación de la primera fase", date(2017, 1, 15), date(2017, 9, 30)),
    ("Publicación de resultados y datos abiertos", date(2017, 10, 1), date(2018, 6, 30)),
)
# Per commitment, cycling: the reports posted, each (days after the plan started, progress,
# the three milestones' statuses).
STORIES = (
    ((120, 20, ("completed", "in_progress", "not_started")),
     (400, 70, ("completed", "completed", "in_progress")),
     (650, 100, ("completed", "completed", "completed"))),
    ((150, 15, ("in_progress", "not_started", "not_started")),
     (420, 45, ("completed", "delayed", "not_started"))),
    ((200, 35, ("completed", "in_progress", "not_started")),
     (500, 60, ("completed", "completed", "delayed"))),
    ((300, 10, ("delayed", "not_started", "not_started")),),
    ((180, 30, ("completed", "in_progress", "not_started")),
     (520, 80, ("completed", "completed", "withdrawn"))),
    (),
)
SUMMARIES = (
    "Se instaló la mesa de trabajo con **sociedad civil** y se acordó la hoja de ruta.",
    "Se completó la primera fase; los documentos están publicados en el portal.",
    "Se publicaron los resultados y los datos en formato abierto.",
)
OBSTACLES = "La rotación de personal en la institución retrasó la segunda fase."


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=GUATEMALA)


def add_demo_content() -> None:
    seed_previous_plan()
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.slug == PREVIOUS_PLAN_SLUG))
    if plan is None or db.session.scalar(
            select(func.count(Commitment.id)).where(Commitment.plan_id == plan.id)):
        return
    admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
    steward = db.session.scalar(
        select(User).where(User.role == "public_servant").order_by(User.id))
    follower = db.session.scalar(
        select(User).where(User.role == "participant").order_by(User.id))
    if admin is None or steward is None:
        return
    themes = {theme.position: theme for theme in db.session.scalars(
        select(Theme).where(Theme.plan_id == plan.id))}
    start = date(2016, 8, 15)
    for number, (axis, title, institution) in enumerate(COMMITMENTS, start=1):
        commitment = Commitment(
            plan_id=plan.id, theme_id=themes[axis].id, number=number, title=title,
            problem="La ciudadanía no cuenta con información oportuna y verificable.",
            description=f"{title}, con la participación de sociedad civil.",
            contribution="Hace verificable el avance y abre espacios de participación.",
            ogp_values=["transparency", "participation"], lead_institution=institution,
            start_date=start, end_date=date(2018, 6, 30))
        for position, (text, begins, ends) in enumerate(MILESTONES, start=1):
            commitment.milestones.append(Milestone(position=position, description=text,
                                                   start_date=begins, end_date=ends))
        db.session.add(commitment)
        db.session.flush()
        services.name_steward(admin, commitment, steward.email)
        for index, (days, progress, statuses) in enumerate(STORIES[number % len(STORIES)]):
            update = services.post_update(
                steward, commitment, SUMMARIES[min(index, 2)], progress,
                OBSTACLES if "delayed" in statuses else "",
                [f"https://www.gobiernoabierto.gob.gt/compromiso-{number}"],
                {str(m.id): status
                 for m, status in zip(commitment.milestones, statuses, strict=True)})
            update.created_at = _at(start + timedelta(days=days))
            commitment.last_update_at = update.created_at
        if follower is not None and number % 3 == 0:
            db.session.add(CommitmentFollower(commitment_id=commitment.id,
                                              user_id=follower.id))
    db.session.flush()
