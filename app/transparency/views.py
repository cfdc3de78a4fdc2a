"""Transparency: the public log of moderation decisions and participation statistics."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template

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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for dimension, rows in (("sector", queries.by_sector(SECTOR_LABELS)),
                            ("theme", queries.by_theme())):
        for row in rows:
            writer.writerow([dimension, row.key, row.label, row.participants, row.proposals,
                             row.supports, row.comments])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="participacion.csv"'
    return response
