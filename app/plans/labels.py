"""Spanish labels (lazy, translated per request) for plan statuses and meeting kinds."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PLAN_STATUS_LABELS = {
    "cocreation": _l("Co-creación"),
    "consultation": _l("Consulta pública"),
    "adopted": _l("Adoptado"),
    "implementation": _l("Implementación"),
    "closed": _l("Cerrado"),
}
MESA_KIND_LABELS = {
    "cocreation": _l("Mesa técnica de co-creación"),
    "forum": _l("Reunión del foro multiactor"),
    "implementation": _l("Reunión de implementación"),
}
# How the public transparency log names each administrative change.
ADMIN_ACTION_LABELS = {
    "plan_created": _l("plan creado"),
    "plan_updated": _l("plan modificado"),
    "plan_status": _l("cambio de estado del plan"),
    "phase_published": _l("fase del cronograma publicada"),
    "theme_created": _l("temática creada"),
    "theme_updated": _l("temática modificada"),
    "mesa_created": _l("reunión convocada"),
    "mesa_updated": _l("reunión modificada"),
    "mesa_cancelled": _l("reunión cancelada"),
}
ADMIN_TARGETS = {"plan": _l("Plan"), "phase": _l("Cronograma"), "theme": _l("Temática"),
                 "mesa": _l("Reunión")}
