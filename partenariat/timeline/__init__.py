"""Significant events and chains of transitional results (docs/timeline.md): the pure core.

Plain data (``model``), the rules of the chain (``graph``), the RT profile and our reading of
it (``profile``), the import format (``importing``), the diagram's geometry (``layout``) and
the question grid (``questions``). No Flask, no database: the pages, tables and commands are
built on top of this package, and the exports in ``exports/timeline_*`` draw from it.
"""
