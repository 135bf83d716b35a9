"""The partnership's controversy register (docs/instruments.md)."""

from partenariat.blueprints.controversies.routes import bp

__all__ = ["bp"]
