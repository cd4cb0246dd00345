"""Every user-facing string has its zh_Hans translation (the default language), and the compiled catalogue
matches the source catalogue: a string added without a translation shows up in English in the admin."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SKIP_DIRS = {".venv", "var", ".git", "__pycache__", "node_modules", ".pytest_cache", ".ruff_cache", "media"}


def parse_po(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every live entry of a .po file (plural forms: the first msgstr)."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"') and current:
                fields[current] += _unquote(line)
                continue
            key, _sep, value = line.partition(" ")
            current = key
            fields[key] = _unquote(value)
        if fields.get("msgid"):
            entries.append((fields["msgid"], fields.get("msgstr", fields.get("msgstr[0]", "")), fuzzy))
    return entries


def _unquote(value: str) -> str:
    import json

    return json.loads(value)


def _untranslated(po_text: str) -> list[str]:
    return [msgid for msgid, msgstr, fuzzy in parse_po(po_text) if fuzzy or not msgstr]


def test_committed_catalogue_is_complete_and_compiled():
    assert _untranslated(PO.read_text(encoding="utf-8")) == []
    entries = {msgid: msgstr for msgid, msgstr, _fuzzy in parse_po(PO.read_text(encoding="utf-8"))}
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    # plural entries are keyed (msgid, 0), (msgid, 1)...; compare their first form
    compiled = {k: v for k, v in compiled.items() if isinstance(k, str)} | {
        k[0]: v for k, v in compiled.items() if isinstance(k, tuple) and k[1] == 0
    }
    stale = sorted(msgid for msgid, msgstr in entries.items() if compiled.get(msgid) != msgstr)
    assert stale == [], "django.mo is out of date: run `python manage.py compilemessages --ignore=.venv`"


def test_every_source_string_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the tree finds no string without a translation."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
    copy = tmp_path / "tree"
    shutil.copytree(ROOT, copy, ignore=lambda _d, names: [n for n in names if n in SKIP_DIRS])
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--ignore=var", "-v0"],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "settings.test", "PYTHONPATH": str(copy)},
    )
    po = (copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = _untranslated(po)
    assert missing == [], f"strings without a zh_Hans translation (add them to {PO.relative_to(ROOT)}): {missing}"
