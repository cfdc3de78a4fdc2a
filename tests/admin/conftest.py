"""The admin tests use the plan-cycle fixtures: an admin, a moderator, a captured outbox."""
from tests.plans.conftest import admin, moderator, outbox  # noqa: F401
