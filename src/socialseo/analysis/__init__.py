"""Derived tables and statistics: sessions, engagement, impact."""
