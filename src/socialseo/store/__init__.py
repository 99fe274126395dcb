"""The warehouse: one embedded DuckDB file that every stage reads and writes."""

from socialseo.store.warehouse import ImportResult, Warehouse

__all__ = ["ImportResult", "Warehouse"]
