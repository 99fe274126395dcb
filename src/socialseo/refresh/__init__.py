"""Refresh on a schedule: the project file, the lock, the run over every source, and alert delivery."""
