-- The visible text of each imported page (saved or fetched), so that setting or changing the brand finds its
-- mentions again without reading or fetching the page a second time. One row per pages import; the text is cut at
-- a bound (socialseo.ingest.backlinks.pages.MAX_STORED_TEXT) and says so in `truncated`.
CREATE TABLE page_texts (
    import_id BIGINT PRIMARY KEY,
    source_url VARCHAR NOT NULL,
    seen_at TIMESTAMP,
    text VARCHAR NOT NULL,
    truncated BOOLEAN NOT NULL
);
