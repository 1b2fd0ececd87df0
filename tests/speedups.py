"""Speed-ups for the test process only; nothing here changes what a request does or what a test asserts.

Werkzeug compiles two small Python functions (URL builders) for every route each time an app is created: with
~350 routes that is ~0.17 s of `compile()` per create_app, and the suite creates an app for every test. The
functions depend only on the rule's text, its parsed parts and its defaults, so the same rule always compiles to
the same code: here each one is compiled once per process and reused (the function is bound to each new Rule as
before; the converters it calls are the rule's own, looked up through `self` at call time).
"""

from werkzeug.routing.rules import Rule

_original_compile_builder = Rule._compile_builder
_builders: dict = {}


def _cached_compile_builder(self: Rule, append_unknown: bool = True):
    try:
        key = (self.rule, append_unknown, tuple(self._trace), repr(sorted((self.defaults or {}).items())))
        hash(key)
    except TypeError:
        return _original_compile_builder(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _original_compile_builder(self, append_unknown)
    return builder


def install() -> None:
    Rule._compile_builder = _cached_compile_builder
