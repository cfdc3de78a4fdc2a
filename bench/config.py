"""The benchmark's application settings: the test settings on a real database file or server.

Rate limits and CSRF are off (the benchmark measures pages, not the limiter), password
hashing is cheap (the dataset shares one hash), and errors come back as 500 responses
instead of exceptions, so a failing endpoint is reported rather than stopping the run.
"""
from __future__ import annotations

import os

from app import create_app
from config import Config, TestConfig


def bench_config(url: str) -> type[TestConfig]:
    class BenchConfig(TestConfig):
        ENV_NAME = "bench"
        TESTING = False
        DEBUG = False
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False
        # The production cache, not the test suite's exact (uncached) aggregates.
        TRANSPARENCY_CACHE_SECONDS = Config.TRANSPARENCY_CACHE_SECONDS
        CURRENT_PLAN_CACHE_SECONDS = Config.CURRENT_PLAN_CACHE_SECONDS
        # No background PDF render may share the CPU with a measurement (plan_pdf_cold
        # measures the render itself, in the request).
        PDF_RENDER_AHEAD = False

    return BenchConfig


def create_bench_app():
    """For gunicorn: `gunicorn 'bench.config:create_bench_app()'` with BENCH_DATABASE_URL."""
    return create_app(bench_config(os.environ["BENCH_DATABASE_URL"]))
