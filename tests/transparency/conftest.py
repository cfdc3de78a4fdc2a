"""The moderation tests' fixtures, shared rather than copied (same plan and themes; the
outbox is the suite's)."""
from tests.moderation.conftest import (  # noqa: F401 - pytest finds fixtures by name
    _request_context,
    make_proposal,
    support,
    theme,
)
