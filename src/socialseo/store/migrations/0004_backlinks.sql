-- Social backlinks and brand mentions. A backlink is identified by (source_url, target_url); re-checking a
-- source that no longer carries the link marks it lost.

ALTER TABLE backlinks ADD COLUMN raw_target VARCHAR;   -- the href as found, before unwrapping redirect wrappers
ALTER TABLE backlinks ADD COLUMN link_tag VARCHAR;     -- a or area (pages, WARC); NULL for exports
ALTER TABLE backlinks ADD COLUMN source_tool VARCHAR;  -- ahrefs, semrush, moz, majestic, gsc, generic (exports)

-- The brand's names and handles, looked for in every text socialseo holds.
CREATE TABLE brand_terms (
    term     VARCHAR PRIMARY KEY,          -- as the user wrote it: "Example Brand", "@examplebrand"
    kind     VARCHAR NOT NULL,             -- name or handle
    added_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per (source, term) where a text mentions the brand.
CREATE TABLE mentions (
    source_url  VARCHAR NOT NULL,          -- the post or page URL
    source_kind VARCHAR NOT NULL,          -- post, page, warc
    platform    VARCHAR,                   -- social platform of the source, NULL for other sites
    source_domain VARCHAR,
    term        VARCHAR NOT NULL,
    is_linked   BOOLEAN NOT NULL,          -- the same source also links to the site
    snippet     VARCHAR,                   -- up to 160 characters around the first occurrence
    seen_at     TIMESTAMP,
    import_id   BIGINT
);
