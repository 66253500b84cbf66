"""Persistence: ORM models, engine factory, migrations and queries. No UI, no torch."""
