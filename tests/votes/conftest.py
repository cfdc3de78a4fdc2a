"""The supports tests use the comments tests' fixtures (a proposal, a participant)."""
from tests.comments.conftest import participant, proposal, request_context  # noqa: F401
