"""The coordinator's timeline workshop: RT profile, question grid, pack, snapshots, proposals."""

from partenariat.blueprints.workshop.routes import bp

__all__ = ["bp"]
