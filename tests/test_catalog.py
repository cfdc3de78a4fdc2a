"""The English catalog covers every message of the source (Spanish msgids).

Messages are extracted the way `pybabel extract -F babel.cfg -k _l` does; a message missing
from app/translations/en/LC_MESSAGES/messages.po, or present with an empty translation, fails.
Fuzzy entries count as untranslated; obsolete (#~) entries are ignored.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "lazy_pgettext": ((1, "c"), 2)}


def source_messages() -> dict[str, str]:
    """Every msgid in the source (plurals by their singular), with where it was found."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def untranslated(catalog, msgid: str) -> bool:
    message = catalog.get(msgid)
    if message is None or message.fuzzy:
        return True
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


def test_extraction_finds_the_interface_messages():
    messages = source_messages()
    assert "Iniciar sesión" in messages
    assert "Crear cuenta" in messages
    assert len(messages) > 100


def test_every_source_message_is_translated_in_the_english_catalog():
    with open(PO_FILE, "rb") as handle:
        catalog = read_po(handle, locale="en")
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in source_messages().items()
                     if untranslated(catalog, msgid))
    assert not missing, f"{len(missing)} message(s) missing or untranslated:\n" + "\n".join(
        missing[:60])
