"""Services translate their messages, which needs a request (the locale)."""
from tests.moderation.conftest import _request_context  # noqa: F401 - pytest finds it by name
