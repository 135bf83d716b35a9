"""Sign in, sign out, set and change one's password."""

from partenariat.blueprints.account.routes import bp

__all__ = ["bp"]
