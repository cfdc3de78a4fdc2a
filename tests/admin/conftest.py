"""The admin tests use the plan-cycle fixtures: an admin and a moderator."""
from tests.plans.conftest import admin, moderator  # noqa: F401
