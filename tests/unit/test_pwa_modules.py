"""The PWA's ES modules fit together without a bundler: every name a module imports is
exported by the file it names, and every string key the screens ask for has a text.
A typo here would otherwise only show as a blank screen in a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FRONTEND = Path(__file__).resolve().parents[2] / "frontend_static"
MODULES = sorted((FRONTEND / "js").rglob("*.js"))
_IMPORT = re.compile(r'import\s*\{([^}]*)\}\s*from\s*"(/js/[^"]+)"')
_EXPORT = re.compile(r"export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)")
_KEY_CALL = re.compile(r'\bt\(\s*"([A-Za-z_][A-Za-z0-9_]*)"')
_TABLE_KEY = re.compile(r"^\s{4}([A-Za-z_][A-Za-z0-9_]*):", re.MULTILINE)


def exports_of(path: Path) -> set[str]:
    return set(_EXPORT.findall(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(FRONTEND)))
def test_every_import_is_exported_by_its_module(module: Path) -> None:
    for names, target in _IMPORT.findall(module.read_text(encoding="utf-8")):
        path = FRONTEND / target.lstrip("/")
        assert path.is_file(), f"{module.name} imports the missing {target}"
        wanted = {part.split(" as ")[0].strip() for part in names.split(",") if part.strip()}
        missing = wanted - exports_of(path)
        assert not missing, f"{module.name} imports {sorted(missing)} that {target} does not export"


def english_keys() -> set[str]:
    keys: set[str] = set()
    for table in [FRONTEND / "js" / "i18n.js", FRONTEND / "js" / "staff" / "strings.js",
                  FRONTEND / "js" / "public" / "strings.js"]:
        text = table.read_text(encoding="utf-8")
        keys |= set(_TABLE_KEY.findall(text[text.index("  en: Object.freeze({"):text.index("  hi: Object.freeze({")]))
    return keys


def test_every_string_a_screen_asks_for_exists() -> None:
    known = english_keys()
    asked = {key: module.name for module in MODULES for key in _KEY_CALL.findall(module.read_text(encoding="utf-8"))}
    missing = {key: where for key, where in asked.items() if key not in known}
    assert not missing, f"no text for {missing}"
