"""Partners propose events for a project's timeline through its proposal link (/p/<token>)."""

from partenariat.blueprints.propose.routes import bp

__all__ = ["bp"]
