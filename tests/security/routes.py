"""The application's routes, read from `app.url_map`, so new routes are audited automatically."""
from __future__ import annotations

from dataclasses import dataclass

from werkzeug.routing import Rule

SAMPLE_VALUES = {"integer": 1, "float": 1.0, "uuid": "00000000-0000-0000-0000-000000000000"}


@dataclass(frozen=True)
class Route:
    rule: Rule
    method: str

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    def url(self, **values) -> str:
        """The path with sample values for arguments not given."""
        args = {}
        for name in self.rule.arguments:
            if name in (self.rule.defaults or {}):
                continue
            if name in values:
                args[name] = values[name]
                continue
            converter = self.rule._converters[name]
            kind = type(converter).__name__.replace("Converter", "").lower()
            if kind == "unicode":
                kind = "string"
            if kind == "any":
                args[name] = converter.items[0] if hasattr(converter, "items") else "x"
            else:
                args[name] = SAMPLE_VALUES.get(kind, "x")
        if "fmt" in self.rule.arguments and "fmt" not in values:
            args["fmt"] = "json"
        _, path = self.rule.build(args, append_unknown=False)
        return path

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule}"


def routes(app, method: str) -> list[Route]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or method not in (rule.methods or ()):
            continue
        found.append(Route(rule, method))
    return sorted(found, key=str)


def post_routes(app) -> list[Route]:
    return routes(app, "POST")


def get_routes(app) -> list[Route]:
    return routes(app, "GET")
