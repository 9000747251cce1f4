"""Who reviews a final report: a pure function of two materialised unit paths."""

from __future__ import annotations


def review_chain(acting_path: str, intake_path: str, intake_id: int) -> list[int]:
    """Unit ids that review an ATR from the acting office, lowest first, ending with the
    allotting authority. Pure: the ancestors of the acting office up to where its branch
    meets the intake unit's, then the intake unit itself."""
    acting = [int(p) for p in acting_path.strip("/").split("/") if p]
    intake_line = {int(p) for p in intake_path.strip("/").split("/") if p}
    chain: list[int] = []
    for unit_id in reversed(acting[:-1]):
        if unit_id in intake_line:
            break
        chain.append(unit_id)
    chain.append(intake_id)
    return chain
