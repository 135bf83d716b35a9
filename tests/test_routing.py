"""URL rules whose builders are made on first use (partenariat.routing) build the URLs that
werkzeug's own rules build, and are made once."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import Map
from werkzeug.routing import Rule as WerkzeugRule

from partenariat import routing


def _werkzeug_twin(rule: routing.Rule) -> WerkzeugRule:
    twin = WerkzeugRule(rule.rule, endpoint=rule.endpoint, defaults=rule.defaults, methods=rule.methods)
    Map([twin])  # (binds and compiles it, builders included)
    return twin


def test_every_rule_builds_the_url_werkzeugs_own_rule_builds(app):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 80
    assert all(isinstance(rule, routing.Rule) for rule in rules)
    for rule in rules:
        twin = _werkzeug_twin(rule)
        values = {name: 7 for name in rule.arguments}  # (every argument is an int or a string)
        for extra in ({}, {"lang": "en", "q": "a b&c/é"}):
            for append_unknown in (True, False):
                built = rule.build({**values, **extra}, append_unknown=append_unknown)
                assert built == twin.build({**values, **extra}, append_unknown=append_unknown), rule.rule


def test_a_builder_is_made_at_its_first_use_and_then_kept(app):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == "respond.section")
    # Fails if werkzeug no longer makes its builders through _compile_builder (then they are
    # made as rules are added again: correct URLs, slower start-up).
    assert rule._build_unknown.__name__ == "build_on_first_use"
    with app.test_request_context("/"):
        first = url_for("respond.section", token="abc", section="conditions", lang="en")
        made = rule._build_unknown
        assert made.__name__ != "build_on_first_use"
        assert url_for("respond.section", token="abc", section="conditions", lang="en") == first
        assert rule._build_unknown is made
    assert first == "/r/abc/conditions?lang=en"
