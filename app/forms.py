"""One way for every form to answer bad input: the same form again, its message next to the
field, what was typed kept, status 400 (the generic error page is for requests without a form).

The pattern, for a view that handles a form (see `app/moderation/views.py`):

    form = HideForm()
    ok, target = submit(form, services.hide_content, current_user, kind, target_id,
                        data=lambda: form.reason.data)
    if not ok:
        return rerender(form, "proposals/detail.html", fragment="moderation/_hide_form.html",
                        key="comments-5", **context)

- `submit(form, verb, ...)` validates the form (WTForms validators, NUL characters) and calls
  the service verb; an `InvalidInput(field=...)` from the verb lands next to that field.
- `rerender(...)` answers 400 with the whole page, or with the form's fragment for htmx
  (`HX-Retarget`: the form's element, `HX-Reswap: outerHTML`; cocrea.js swaps such 4xx).
- In templates, `form_for("hide", key)` gives the form just posted (errors and input) when it
  is the one that failed, otherwise an empty one; `keyed(form, key)` makes its field ids
  unique so a page may hold one form per item. `macros/forms.html` renders them.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField as _DateField
from wtforms import IntegerField as _IntegerField
from wtforms import TimeField as _TimeField

from app.errors import InvalidInput

NUL_MESSAGE = _l("El texto contiene caracteres no permitidos; bórrelos e intente de nuevo.")
_FORMS: dict[str, type[FlaskForm]] = {}


def reusable(name: str):
    """Class decorator: make a form class reachable from templates as `form_for(name, key)`."""
    def register(cls: type[FlaskForm]) -> type[FlaskForm]:
        _FORMS[name] = cls
        cls.form_name = name
        return cls
    return register


def add_error(form: FlaskForm, name: str | None, message) -> None:
    """Put `message` next to field `name` (the form's first visible field when unknown)."""
    field = form[name] if name and name in form else _first_field(form)
    field.errors = [*(field.errors or ()), str(message)]


def _first_field(form: FlaskForm):
    for field in form:
        if field.type not in ("CSRFTokenField", "HiddenField"):
            return field
    raise LookupError("a form without visible fields")


def validate(form: FlaskForm) -> bool:
    """`validate_on_submit()`, plus the fields where the request carried NUL characters
    (`app.security` strips them from HTML form posts and names the fields in `g.nul_fields`)."""
    ok = form.validate_on_submit()
    for name in g.get("nul_fields", ()):
        if name in form:
            add_error(form, name, NUL_MESSAGE)
            ok = False
    return ok


def submit(form: FlaskForm, verb: Callable, *args, **kwargs) -> tuple[bool, Any]:
    """Validate `form`, then call `verb(*args, **kwargs)`.

    Returns `(True, result)`, or `(False, None)` when the form now holds the errors (its own
    validators', or the verb's `InvalidInput`, placed on `error.field`). Other service errors
    (403, 404, 409) propagate to the error pages: they are not about what was typed.
    """
    if not validate(form):
        return False, None
    try:
        return True, verb(*args, **kwargs)
    except InvalidInput as error:
        from app.extensions import db

        db.session.rollback()
        add_error(form, error.field, error.message)
        return False, None


def keyed(form: FlaskForm, key) -> FlaskForm:
    """Suffix every field id (and its label's `for`) with `-key`: many forms on one page."""
    if key is None or getattr(form, "form_key", None) == str(key):
        return form
    form.form_key = str(key)
    for field in form:
        field.id = f"{field.id}-{key}"
        field.label.field_id = field.id
    return form


def form_for(name: str, key=None, obj=None, **data) -> FlaskForm:
    """The form `name` for item `key`: the one that just failed (with its errors and input)
    when it is that one, otherwise one filled from `obj` and `data` (empty without them)."""
    failed = g.get("failed_form")
    if failed is not None and failed[0] == name and failed[1] == str(key):
        return failed[2]
    return keyed(_FORMS[name](formdata=None, obj=obj, data=data), key)


def here() -> str:
    """The path of the page being shown (for `next` fields): a re-rendered form's page, not
    the POST address that re-rendered it."""
    return g.get("page_path") or request.path


def rerender(form: FlaskForm, template: str, /, *, fragment: str | None = None,
             hx_target: str | None = None, key=None, path: str | None = None, status: int = 400,
             **context):
    """Answer bad input: `fragment` for htmx (swapped in place of `hx_target`), else the whole
    page `template`.

    `form` is kept (with `key`) so that `form_for` hands it back to the template that renders
    the form; `path` is the address of the page (for its forms' `next` fields, see `here`);
    `context` is what `template` (or `fragment`) needs.
    """
    if path:
        g.page_path = path
    name = getattr(form, "form_name", None)
    keyed(form, key)
    if name:
        g.failed_form = (name, str(key), form)
    context.setdefault("form", form)
    if fragment and request.headers.get("HX-Request"):
        response = make_response(render_template(fragment, **context), status)
        if hx_target:
            response.headers["HX-Retarget"] = hx_target
            response.headers["HX-Reswap"] = "outerHTML"
        return response
    return make_response(render_template(template, **context), status)


def form_status(form: FlaskForm) -> int:
    """400 when the form holds errors (bad input), else 200."""
    return 400 if form.errors else 200


# --- fields whose unreadable input says so (not "required" as if it were empty) -------------

class DateField(_DateField):
    """A date (`YYYY-MM-DD`); 2026-02-30 answers "not a valid date", in the user's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Escriba una fecha válida (AAAA-MM-DD)."))) from None


class TimeField(_TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Escriba una hora válida (HH:MM)."))) from None


class IntegerField(_IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Escriba un número entero."))) from None


def register(app: Flask) -> None:
    app.add_template_global(form_for)
    app.add_template_global(keyed)
    app.add_template_global(here)


def refuse_nul() -> None:
    """For a view without a WTForms form: an `InvalidInput` for the first field that carried
    NUL characters, so the view's own error path re-renders its form."""
    names = g.get("nul_fields", ())
    if names:
        raise InvalidInput(str(NUL_MESSAGE), field=names[0])


def confirm_first(question, confirm_label, cancel_url: str, warning=None):
    """The confirm step of a destructive action, without JavaScript.

    Returns None when the post carries `confirm=yes` (go ahead); otherwise the confirmation
    page (200), whose form re-posts the same fields with `confirm=yes`, or a link back to
    `cancel_url`. Call it after the form was found valid, before the service verb.
    """
    if request.form.get("confirm") == "yes":
        return None
    fields = {key: value for key, value in request.form.items()
              if key not in ("csrf_token", "confirm")}
    return make_response(render_template(
        "confirm.html", question=question, confirm_label=confirm_label, cancel_url=cancel_url,
        warning=warning, fields=fields, action=request.path))
