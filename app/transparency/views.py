"""Transparency: the public log of moderation decisions and participation statistics."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.csvfile import csv_response
from app.templating import SECTOR_LABELS
from app.transparency import queries
from app.urls import page_arg

bp = Blueprint("transparency", __name__)
CSV_COLUMNS = ("dimension", "key", "label", "participants", "proposals", "supports", "comments")




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
