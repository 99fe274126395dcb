"""Access logs: the fast quoted reader and the general one, the hit encoder, line privacy."""
