"""Analytics exports: GA4 traffic acquisition."""
