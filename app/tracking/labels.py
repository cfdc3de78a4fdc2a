"""Labels of the tracking statuses, in the reader's language."""
from __future__ import annotations

from app.templating import _l

MILESTONE_STATUS_LABELS = {
    "not_started": _l("No iniciado"),
    "in_progress": _l("En curso"),
    "completed": _l("Completado"),
    "delayed": _l("Retrasado"),
    "withdrawn": _l("Retirado"),
}
COMPLETION_LABELS = {
    "not_started": _l("No iniciado"),
    "limited": _l("Limitado"),
    "substantial": _l("Sustancial"),
    "complete": _l("Completo"),
}
