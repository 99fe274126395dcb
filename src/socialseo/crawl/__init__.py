"""Reading the web: the one HTML extractor (and, beside it, the polite crawler)."""
