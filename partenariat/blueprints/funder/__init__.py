"""The funder's view: aggregates of shared campaigns, never below k_funder."""

from partenariat.blueprints.funder.routes import bp

__all__ = ["bp"]
