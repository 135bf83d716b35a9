"""Web blueprints, one feature each, with their own routes and forms."""
