"""URL rules whose builders are made when first used rather than when the rule is added."""

from __future__ import annotations

from werkzeug.routing import Rule as WerkzeugRule


class Rule(WerkzeugRule):
    """werkzeug makes two URL builders for each rule as it is added (Python code written as a
    syntax tree and compiled): for our 91 rules that was about a twelfth of start-up (T4), though
    a process builds URLs for few of them. Here each builder is made by its first ``url_for``;
    the builder is werkzeug's own, so the URLs are the same.

    Relies on werkzeug's ``_compile_builder``, ``_build`` and ``_build_unknown`` (Werkzeug is
    pinned in requirements.txt; tests/test_routing.py fails if they change)."""

    def _compile_builder(self, append_unknown: bool = True):
        name = "_build_unknown" if append_unknown else "_build"

        def build_on_first_use(rule: Rule, **values):
            builder = WerkzeugRule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, name, builder)  # (two threads may both make it: the same function)
            return builder(**values)

        return build_on_first_use
