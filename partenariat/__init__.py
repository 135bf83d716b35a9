"""Partenariat: self-assessment of intersectoral partnerships (CACIS model).

The domain lives here: configuration, database models, services (state-changing
operations) and the web blueprints that call them.
"""
