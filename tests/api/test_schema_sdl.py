from __future__ import annotations

from pathlib import Path

from backend.api.schema import schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_committed_sdl_matches_the_live_schema() -> None:
    """Re-export with `make schema` when this fails."""
    assert SDL.read_text(encoding="utf-8").strip() == schema.as_str().strip()
