"""Every user-facing string has its zh_Hans translation (the default language), and each compiled catalogue
matches its source: a string added without a translation shows up in English in the admin.

Catalogues: `locale/` for the core and every plugin without one of its own; a plugin may keep its own
(`plugins/<name>/locale/`), and makemessages then writes its strings there."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = Path("zh_Hans") / "LC_MESSAGES" / "django.po"
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


def catalogues(root: Path) -> list[Path]:
    """The zh_Hans django.po files under `root`: the project's and any plugin's own."""
    found = [root / "locale" / SUFFIX]
    found += sorted(p / SUFFIX for p in (root / "plugins").glob("*/locale") if (p / SUFFIX).exists())
    return found


@pytest.mark.parametrize("po", catalogues(ROOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_catalogue_is_complete_and_compiled(po):
    assert _untranslated(po.read_text(encoding="utf-8")) == []
    entries = {msgid: msgstr for msgid, msgstr, _fuzzy in parse_po(po.read_text(encoding="utf-8"))}
    with po.with_suffix(".mo").open("rb") as handle:
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
    for po in catalogues(copy):
        missing = _untranslated(po.read_text(encoding="utf-8"))
        assert missing == [], f"strings without a zh_Hans translation in {po.relative_to(copy)}: {missing}"
