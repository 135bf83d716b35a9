"""Public pages (home, language) and the error pages."""

from partenariat.blueprints.main.routes import bp

__all__ = ["bp"]
