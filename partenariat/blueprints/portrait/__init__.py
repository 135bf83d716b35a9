"""The coordinator's reading of results: portrait, charts, downloads, retreat pack, comparison."""

from partenariat.blueprints.portrait.routes import bp

__all__ = ["bp"]
