"""Transparency: the public log of moderation decisions and participation statistics."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from app.csvfile import csv_response
from app.plans import services as plans
from app.templating import SECTOR_LABELS
from app.transparency import ogp, queries
from app.urls import page_arg

bp = Blueprint("transparency", __name__)
CSV_COLUMNS = ("dimension", "key", "label", "participants", "proposals", "supports", "comments")
OGP_STATUS_LABELS = {ogp.MET: _l("Cumplido"), ogp.NOT_MET: _l("No cumplido"),
                     ogp.PENDING: _l("Pendiente")}


def plan_from_query():
    """The plan named by `?plan=<slug>`, else the current one; NotFound (404) when unknown or
    when there is no plan yet."""
    slug = request.args.get("plan", "").strip()
    return plans.get_plan(slug) if slug else plans.require_current_plan()


@bp.route("/transparency")
def index():
    """Every public moderation decision with its reason, and who takes part."""
    sectors, themes = queries.by_sector(SECTOR_LABELS), queries.by_theme()
    return render_template(
        "transparency/index.html", log=queries.public_log(page_arg("page", queries.MAX_LOG_PAGE)),
        sectors=sectors, themes=themes, attendance=queries.attendance_by_sector(SECTOR_LABELS),
        sector_bars=queries.bars(sectors, "participants"),
        theme_bars=queries.bars(themes, "proposals"))


@bp.route("/transparency/participation.csv")
def participation_csv():
    """The participation statistics by sector and by theme, as CSV."""
    rows = ([dimension, row.key, row.label, row.participants, row.proposals, row.supports,
             row.comments]
            for dimension, rows in (("sector", queries.by_sector(SECTOR_LABELS)),
                                    ("theme", queries.by_theme()))
            for row in rows)
    return csv_response(CSV_COLUMNS, rows, "participacion.csv")


@bp.route("/transparency/ogp")
def ogp_requirements():
    """The OGP minimum requirements, evaluated from the records, each with its evidence."""
    plan = plan_from_query()
    _evaluated_at, results = ogp.evaluate_cached(plan)
    return render_template("transparency/ogp.html", plan=plan, plans=plans.list_plans(),
                           results=results, STATUS_LABELS=OGP_STATUS_LABELS)
