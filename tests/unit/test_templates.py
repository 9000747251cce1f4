"""Message templates: every one in English and Hindi, with the same placeholders, and a
language without a translation falls back to English."""

from __future__ import annotations

import string

import pytest

from backend.core.validation import SUPPORTED_LANGUAGES
from backend.notifications.templates import SUBJECTS, TEMPLATES, render, subject


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_is_translated_with_the_same_placeholders(name: str) -> None:
    texts = TEMPLATES[name]
    missing = [lang for lang in SUPPORTED_LANGUAGES if lang not in texts]
    assert not missing, f"template {name!r} has no translation for {missing}"
    assert {lang: _fields(t) for lang, t in texts.items()} == {lang: _fields(texts["en"]) for lang in texts}


@pytest.mark.parametrize("name", sorted(SUBJECTS))
def test_every_subject_is_translated(name: str) -> None:
    assert set(SUBJECTS[name]) >= set(SUPPORTED_LANGUAGES), f"subject {name!r} lacks a translation"


def test_an_untranslated_language_falls_back_to_english() -> None:
    payload = {"number": "BR/W/2026/0000007"}
    assert render("grievance_filed", "ta", payload) == render("grievance_filed", "en", payload)
    assert subject("grievance_filed", "ta", payload) == "Grievance BR/W/2026/0000007"
    # A missing value renders empty rather than failing the send.
    assert "{" not in render("grievance_allotted", "en", payload)
