"""Readers that turn each source into typed tables in the warehouse."""
