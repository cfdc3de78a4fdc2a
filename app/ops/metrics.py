"""Prometheus metrics: request counts and latencies by route, and participation totals.

Under gunicorn every worker is a process: with PROMETHEUS_MULTIPROC_DIR set (gunicorn.conf.py
sets it), samples go to files in that folder and a scrape adds up every worker's files.
Participation totals are read from the database at scrape time (one cheap aggregate query),
so they are right whichever process wrote the rows.
"""
from __future__ import annotations

import os
import time

from flask import Flask, g, request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

REQUESTS = Counter(
    "cocrea_http_requests_total", "HTTP requests answered, by route (endpoint) and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "cocrea_http_request_duration_seconds", "Time to answer an HTTP request, by route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class ParticipationCollector:
    """Totals of proposals, supports and comments, from the denormalized counters."""

    def collect(self):
        from app.extensions import db
        from app.models import Proposal, User

        row = db.session.execute(select(
            func.count(Proposal.id),
            func.coalesce(func.sum(Proposal.vote_count), 0),
            func.coalesce(func.sum(Proposal.comment_count), 0),
        )).one()
        users = db.session.scalar(select(func.count(User.id)))
        for name, doc, value in (
            ("cocrea_proposals", "Proposals (draft commitments), hidden ones included.", row[0]),
            ("cocrea_supports", "Supports (votes) on proposals.", row[1]),
            ("cocrea_comments", "Comments on proposals.", row[2]),
            ("cocrea_users", "Accounts.", users),
        ):
            family = GaugeMetricFamily(name, doc)
            family.add_metric([], float(value or 0))
            yield family


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def render() -> bytes:
    """The exposition text: request metrics (every worker) and participation totals."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    totals = CollectorRegistry(auto_describe=False)
    totals.register(ParticipationCollector())
    return generate_latest(registry) + generate_latest(totals)


def observe(response) -> None:
    started = g.get("request_started")
    route = request.endpoint or "unmatched"
    REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    if started is not None:
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)


def init_app(app: Flask) -> None:
    @app.after_request
    def _observe(response):
        try:
            observe(response)
        except Exception:  # noqa: BLE001 - metrics must never break a response
            app.logger.exception("metrics: observing a request failed")
        return response
