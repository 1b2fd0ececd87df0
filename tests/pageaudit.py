"""What a page loads and how its inputs are labelled, read from its HTML."""

from html.parser import HTMLParser


class PageAudit(HTMLParser):
    """Feed it a page; then `external` lists what it would fetch from outside, `unlabelled()` the inputs a screen
    reader could not name, and `html_lang` the language it declares."""

    def __init__(self):
        super().__init__()
        self.external = []
        self.inputs = []  # (id, aria-label, inside a <label>)
        self.label_for = set()
        self.label_depth = 0
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action"):
            value = attrs.get(name) or ""
            if value.startswith(("http://", "https://", "//")):
                self.external.append(value)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea"):
            if attrs.get("type") in ("hidden", "submit", "button") or "hidden" in attrs:
                return
            if attrs.get("tabindex") == "-1" and attrs.get("autocomplete") == "off":
                return  # a honeypot field, hidden from people on purpose
            self.inputs.append((attrs.get("id"), attrs.get("aria-label"), self.label_depth > 0, attrs.get("name")))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1

    def unlabelled(self):
        return [
            name
            for id_, aria, wrapped, name in self.inputs
            if not (wrapped or aria or (id_ and id_ in self.label_for))
        ]
