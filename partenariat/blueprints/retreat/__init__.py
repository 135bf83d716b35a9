"""The retreat record and the action plan of a campaign (SPEC §9, issue 14)."""

from partenariat.blueprints.retreat.routes import bp

__all__ = ["bp"]
