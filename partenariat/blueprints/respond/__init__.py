"""The partner's self-assessment, reached through a personal link (/r/<token>)."""

from partenariat.blueprints.respond.routes import bp

__all__ = ["bp"]
