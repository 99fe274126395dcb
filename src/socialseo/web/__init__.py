"""The local dashboard: FastAPI + Jinja2 over the warehouse, rendering the report's sections and charts."""

from socialseo.web.app import create_app

__all__ = ["create_app"]
