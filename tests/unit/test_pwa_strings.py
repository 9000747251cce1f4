"""Every string of the citizen app and the staff console exists in English and Hindi."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "frontend_static" / "js"
I18N = JS / "i18n.js"
STAFF = JS / "staff" / "strings.js"
_KEY = re.compile(r"^\s{4}([A-Za-z_][A-Za-z0-9_]*):", re.MULTILINE)


def test_english_and_hindi_have_the_same_keys() -> None:
    text = I18N.read_text(encoding="utf-8")
    english = text[text.index("  en: Object.freeze({"):text.index("  hi: Object.freeze({")]
    hindi = text[text.index("  hi: Object.freeze({"):text.index("const isSupported")]
    en_keys, hi_keys = set(_KEY.findall(english)), set(_KEY.findall(hindi))
    assert len(en_keys) > 100
    assert en_keys - hi_keys == set(), "no Hindi for these"
    assert hi_keys - en_keys == set(), "no English for these"


@pytest.mark.parametrize("table", [STAFF, JS / "public" / "strings.js"], ids=["staff", "public"])
def test_each_screen_set_s_strings_exist_in_both_languages(table: Path) -> None:
    text = table.read_text(encoding="utf-8")
    english = text[text.index("  en: Object.freeze({"):text.index("  hi: Object.freeze({")]
    hindi = text[text.index("  hi: Object.freeze({"):text.index("addStrings(")]
    en_keys, hi_keys = set(_KEY.findall(english)), set(_KEY.findall(hindi))
    shared = set(_KEY.findall(I18N.read_text(encoding="utf-8")))
    assert en_keys - hi_keys == set(), "no Hindi for these"
    assert hi_keys - en_keys == set(), "no English for these"
    assert en_keys & shared == set(), "defined twice (the shared table wins)"
