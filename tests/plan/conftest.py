"""The moderation tests' fixtures, shared rather than copied (same plan, themes and mail)."""
from tests.moderation.conftest import (  # noqa: F401 - pytest finds fixtures by name
    _request_context,
    make_proposal,
    outbox,
    support,
    theme,
)
