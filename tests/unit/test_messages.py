"""Refusals in the reader's language: exact messages, numbered patterns, fallback."""

from __future__ import annotations

from backend.core.messages import language_of, localise


def test_hindi_messages_and_the_english_fallback() -> None:
    assert localise("is required", "hi") == "आवश्यक है"
    assert localise("must be at most 200 characters", "hi") == "अधिकतम 200 वर्ण हो सकते हैं"
    assert localise("Wrong code; 2 attempts left", "hi") == "गलत कोड; 2 प्रयास शेष"
    assert localise("This mobile number has filed 10 grievances this month, the most allowed; please follow up on "
                    "the earlier ones", "hi").startswith("इस मोबाइल नंबर से इस महीने 10 शिकायतें")
    assert localise("is required", "en") == "is required"
    assert localise("A message nobody translated", "hi") == "A message nobody translated"


def test_the_language_comes_from_accept_language() -> None:
    assert language_of("hi-IN,hi;q=0.9,en;q=0.8") == "hi"
    assert language_of("ta-IN, en;q=0.5") == "en"
    assert language_of("") == "en"
