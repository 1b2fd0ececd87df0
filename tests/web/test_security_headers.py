"""The CSP forbids inline script and style, so the templates must not contain any."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered by WeasyPrint into PDFs, never served to a browser: the CSP does not apply to them.
PRINT_ONLY = {"documents/plan.html", "documents/booth_cards.html"}


def test_pages_carry_security_headers(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_style():
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        if path.relative_to(TEMPLATES).as_posix() in PRINT_ONLY:
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            problems.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            problems.append(f"{path.name}: inline event handler")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            problems.append(f"{path.name}: inline style")
    assert problems == []
