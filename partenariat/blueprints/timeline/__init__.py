"""The coordinator's pages for a partnership's projects told as timelines (SPEC §8)."""

from partenariat.blueprints.timeline.routes import bp

__all__ = ["bp"]
