"""Coordinator workspace: dashboard, campaigns, invitations, tracking, paper entry."""

from partenariat.blueprints.campaigns.routes import bp

__all__ = ["bp"]
