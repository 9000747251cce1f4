"""The citizen app's first load stays under 150 KB compressed: the HTML and every file
it pulls in for the first screen (styles, scripts and the modules they import, icons)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

FRONTEND = Path(__file__).resolve().parents[2] / "frontend_static"
BUDGET = 150 * 1024
_REFS = re.compile(r'(?:href|src)="(/[^"#?]+)"')
_IMPORTS = re.compile(r'(?:from|import)\s*\(?\s*"(/js/[^"]+)"')


def first_load() -> dict[str, int]:
    sizes: dict[str, int] = {}
    pending = ["/index.html"]
    while pending:
        path = pending.pop()
        if path in sizes:
            continue
        data = (FRONTEND / path.lstrip("/")).read_bytes()
        sizes[path] = len(gzip.compress(data, compresslevel=6))
        text = data.decode("utf-8", errors="ignore")
        refs = _REFS.findall(text) if path.endswith(".html") else []
        refs += _IMPORTS.findall(text) if path.endswith(".js") or path.endswith(".html") else []
        pending += [r for r in refs if (FRONTEND / r.lstrip("/")).is_file()]
    return sizes


def test_first_load_is_under_the_budget() -> None:
    sizes = first_load()
    assert {"/index.html", "/css/app.css", "/js/app.js", "/js/views.js", "/js/api.js", "/js/i18n.js"} <= set(sizes)
    total = sum(sizes.values())
    print(f"\nfirst load: {total / 1024:.1f} KB compressed over {len(sizes)} files")
    assert total < BUDGET, f"{total} bytes compressed: {sorted(sizes.items(), key=lambda kv: -kv[1])}"
