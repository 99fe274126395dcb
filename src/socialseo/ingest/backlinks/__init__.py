"""Backlinks: vendor exports and their layouts, saved or fetched pages, the link store."""
