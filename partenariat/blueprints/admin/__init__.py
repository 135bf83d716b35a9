"""Administration: funders' access to partnerships, and the audit log."""

from partenariat.blueprints.admin.routes import bp

__all__ = ["bp"]
