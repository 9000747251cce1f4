"""Expected-failure messages in the reader's language.

Services raise `DomainError` with English text; the API layer translates what a
citizen can meet into the request's language (`Accept-Language`, set per request in
`request_language`). Exact messages first, then patterns for the ones that carry a
number; anything not in the catalogue stays English rather than being guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextvars import ContextVar

request_language: ContextVar[str] = ContextVar("request_language", default="en")

HINDI: Mapping[str, str] = {
    "is required": "आवश्यक है",
    "must be a 10-digit Indian mobile number starting with 6-9": "6-9 से शुरू होने वाला 10 अंकों का भारतीय मोबाइल नंबर होना चाहिए",
    "is not a valid e-mail address": "मान्य ई-मेल पता नहीं है",
    "contains control characters": "इसमें अमान्य वर्ण हैं",
    "is required: the district / block where the grievance is": "आवश्यक है: वह ज़िला / प्रखंड जहाँ की शिकायत है",
    "must be within India (6.0 to 37.6)": "भारत के भीतर होना चाहिए (6.0 से 37.6)",
    "must be within India (68.0 to 97.5)": "भारत के भीतर होना चाहिए (68.0 से 97.5)",
    "at most 5 attachments": "अधिकतम 5 संलग्नक",
    "no such category": "ऐसी कोई श्रेणी नहीं है",
    "choose the most specific category (this one has sub-categories)":
        "सबसे विशिष्ट श्रेणी चुनें (इसकी उप-श्रेणियाँ हैं)",
    "must be the 6-digit code sent by SMS": "SMS से भेजा गया 6 अंकों का कोड होना चाहिए",
    "must be from 1 to 5": "1 से 5 के बीच होना चाहिए",
    "say whether the grievance was resolved": "बताएँ कि शिकायत का समाधान हुआ या नहीं",
    "Sign in first": "पहले साइन इन करें",
    "Not signed in": "साइन इन नहीं है",
    "Too many codes requested for this number; try again later":
        "इस नंबर के लिए बहुत अधिक कोड माँगे गए; कुछ समय बाद प्रयास करें",
    "Too many codes requested from this address; try again later":
        "इस स्थान से बहुत अधिक कोड माँगे गए; कुछ समय बाद प्रयास करें",
    "No open code for this number; request a new one": "इस नंबर के लिए कोई कोड नहीं है; नया कोड माँगें",
    "The code has expired; request a new one": "कोड की अवधि समाप्त हो गई; नया कोड माँगें",
    "Too many wrong codes; request a new one": "बहुत अधिक गलत कोड; नया कोड माँगें",
    "This code was already used": "यह कोड पहले ही उपयोग हो चुका है",
    "Feedback is given once the grievance has been disposed of": "शिकायत के निष्पादन के बाद ही राय दी जा सकती है",
    "Feedback for this disposal has already been recorded": "इस निर्णय पर आपकी राय पहले ही दर्ज है",
    "This feedback link is not valid; check that it was copied whole":
        "यह राय लिंक मान्य नहीं है; जाँचें कि पूरा लिंक कॉपी हुआ है",
    "This feedback link has expired": "इस राय लिंक की अवधि समाप्त हो गई है",
    "Only the citizen who filed it gives this feedback": "यह राय केवल शिकायतकर्ता दे सकता है",
    "Only the citizen who filed the grievance appeals": "अपील केवल शिकायतकर्ता कर सकता है",
    "Grievance not found": "शिकायत नहीं मिली",
    "Too many uploads not yet attached to anything; try again later":
        "बहुत-सी अपलोड की गई फ़ाइलें अभी किसी शिकायत से नहीं जुड़ीं; कुछ समय बाद प्रयास करें",
    "The grievance changed since you opened it; reload it and try again":
        "खोलने के बाद शिकायत बदल गई है; पेज दोबारा लोड कर फिर प्रयास करें",
    "SMS stays on: it is how the portal reaches your registered mobile":
        "SMS चालू रहेगा: इसी से पोर्टल आपके पंजीकृत मोबाइल तक पहुँचता है",
    "choose at least one channel": "कम से कम एक माध्यम चुनें",
    "give an e-mail address to receive e-mail": "ई-मेल पाने के लिए ई-मेल पता दें",
    "is not a valid key from the browser's PushSubscription": "ब्राउज़र की सूचना-कुंजी मान्य नहीं है",
}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^must be at most (\d+) characters$"), r"अधिकतम \1 वर्ण हो सकते हैं"),
    (re.compile(r"^Wrong code; (\d+) attempts left$"), r"गलत कोड; \1 प्रयास शेष"),
    (re.compile(r"^Feedback is accepted for (\d+) days after disposal$"),
     r"निष्पादन के \1 दिनों तक ही राय दी जा सकती है"),
    (re.compile(r"^An appeal is filed within (\d+) days of disposal$"),
     r"निष्पादन के \1 दिनों के भीतर ही अपील की जा सकती है"),
    (re.compile(r"^This mobile number has filed (\d+) grievances this month, the most allowed; "
                r"please follow up on the earlier ones$"),
     r"इस मोबाइल नंबर से इस महीने \1 शिकायतें दर्ज हो चुकी हैं, जो अधिकतम सीमा है; कृपया पिछली शिकायतों पर ध्यान दें"),
)


def language_of(accept_language: str) -> str:
    """The first supported language the client asks for (`hi`, `hi-IN;q=0.9`, ...)."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in ("en", "hi"):
            return tag
    return "en"


def localise(message: str, language: str | None = None) -> str:
    if (language or request_language.get()) != "hi":
        return message
    if message in HINDI:
        return HINDI[message]
    for pattern, replacement in _PATTERNS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message
