"""The partnership's controversy register (SPEC §2.3)."""

from partenariat.blueprints.controversies.routes import bp

__all__ = ["bp"]
