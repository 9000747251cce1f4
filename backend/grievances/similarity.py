"""Text similarity for duplicate suspicion (pure).

Word-set overlap of subject and description, tolerant of case, punctuation and
Devanagari; cheap enough to run against the few dozen recent candidates of one filing.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words too common in grievances to tell two apart.
_STOP = frozenset(
    "the a an and or of to in on for is are was were be been my our me we i it this that with at by from not no sir"
    " madam please kindly request regarding about have has had since till".split()
) | frozenset("का के की है हैं में से को और पर भी नहीं कृपया महोदय".split())

THRESHOLD = 0.5


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if len(w) > 1 and w not in _STOP)


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' significant words, 0..1."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def is_similar(a: str, b: str, threshold: float = THRESHOLD) -> bool:
    return similarity(a, b) >= threshold
