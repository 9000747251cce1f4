"""The PWA runs no inline script, and the CSP it is served with would refuse one.

Scans every HTML page under frontend_static/ (inline <script>, event-handler
attributes, javascript: URLs) and every module (no HTML sinks: innerHTML and friends,
eval), then checks the header each page is actually served with.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from backend.app import FRONTEND_DIR

HTML_FILES = sorted(FRONTEND_DIR.rglob("*.html"))
JS_FILES = sorted(FRONTEND_DIR.rglob("*.js"))
# Ways to turn a string into markup or code; the PWA builds its DOM with
# createElement / textContent only (js/dom.js `h`).
_SINKS = re.compile(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\s*\("
                    r"|setAttribute\(\s*['\"]on|createContextualFragment|DOMParser|srcdoc")


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")
        if tag == "script":
            attributes = dict(attrs)
            if not attributes.get("src"):
                self.found.append("<script> without src")
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"inline script text {data.strip()[:40]!r}")


def test_there_are_pages_and_modules_to_scan() -> None:
    names = {p.relative_to(FRONTEND_DIR).as_posix() for p in HTML_FILES}
    assert {"index.html", "staff/index.html", "public/index.html", "feedback/index.html"} <= names
    assert len(JS_FILES) > 10


@pytest.mark.parametrize("path", HTML_FILES, ids=lambda p: p.relative_to(FRONTEND_DIR).as_posix())
def test_no_inline_script_or_handler(path: Path) -> None:
    finder = _InlineFinder()
    finder.feed(path.read_text(encoding="utf-8"))
    assert finder.found == []


def test_the_scanner_finds_what_it_looks_for() -> None:
    finder = _InlineFinder()
    finder.feed('<script>alert(1)</script><img src=x onerror="alert(2)"><a href=" JavaScript:alert(3)">x</a>'
                '<script type="module" src="/js/app.js"></script>')
    assert len(finder.found) == 4  # script without src, its text, the handler, the URL; not the module
    assert _SINKS.search("el.innerHTML = x") and _SINKS.search("node.insertAdjacentHTML('beforeend', s)")
    assert not _SINKS.search("el.textContent = x")


@pytest.mark.parametrize("path", JS_FILES, ids=lambda p: p.relative_to(FRONTEND_DIR).as_posix())
def test_no_module_turns_strings_into_markup_or_code(path: Path) -> None:
    hits = [f"{n}: {line.strip()}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if _SINKS.search(line)]
    assert hits == []


def _directives(header: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0].lower(): p[1:] for p in parts}


@pytest.mark.parametrize("url", ["/", "/staff/", "/public/", "/feedback/", "/js/app.js", "/sw.js"])
async def test_served_csp_refuses_inline_and_foreign_script(client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(url)
    assert response.status_code == 200
    (header,) = response.headers.get_list("content-security-policy")
    csp = _directives(header)
    scripts = csp.get("script-src", csp["default-src"])  # script-src falls back to default-src
    assert scripts == ["'self'"], header
    for directive in ("script-src", "script-src-elem", "script-src-attr", "default-src"):
        for weak in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "blob:", "http:", "https:"):
            assert weak not in csp.get(directive, []), (directive, header)
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
