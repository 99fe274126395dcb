"""Search Console: API rows, bulk exports, the web export zip and its period, rank trackers."""
