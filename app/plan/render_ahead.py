"""`python -m app.plan.render_ahead`: render the current draft's PDF into PDF_CACHE_DIR, exit.

A web worker starts it as a deploy begins (app.plan.pdf.render_ahead_on_start), holding the
deploy's lock for it: WeasyPrint's layout memory (a hundred megabytes for a 40-commitment
plan) leaves with this process instead of staying in a worker. The environment is the
worker's (DATABASE_URL, BASE_URL, PDF_CACHE_DIR...).
"""
from __future__ import annotations

from app import create_app
from app.plan.pdf import render_current_draft


def main() -> None:
    app = create_app()
    with app.test_request_context("/plan/export.pdf", base_url=app.config.get("BASE_URL")):
        render_current_draft()


if __name__ == "__main__":
    main()
