"""Social post exports: layouts per platform, links to the site's pages, brand mentions."""
