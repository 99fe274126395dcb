"""``python -m socialseo`` runs the command line."""

from socialseo.cli import entry

entry()
