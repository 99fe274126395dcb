"""Web archives: WARC and WAT files and the links found in them."""
