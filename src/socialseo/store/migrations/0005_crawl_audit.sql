-- The crawler's ledger and the audits' inputs.
--
-- crawls        one row per crawl: its start URL, options, and whether it ran to the end (a crawl that did not
--               is resumed by the next `socialseo crawl` of the same start URL).
-- crawl_queue   every URL the crawl decided to fetch, with its depth: the frontier, persisted so a killed crawl
--               picks up where it stopped; `done` flips when the page row is written in the same transaction.
-- page_links    the links found on each page (the extractor's output), one row a link.
-- crawl_images  one probe per distinct og:image URL: status, type, size read from the header bytes.
-- crawl_pages   gains the key it is deduplicated by, its depth, body size, fetch time, redirect chain and the
--               share widgets found in its HTML.
CREATE SEQUENCE crawl_id_seq START 1;

CREATE TABLE crawls (
    crawl_id     VARCHAR PRIMARY KEY,
    start_url    VARCHAR NOT NULL,
    options      JSON,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    pages        INTEGER NOT NULL DEFAULT 0,
    errors       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE crawl_queue (
    crawl_id  VARCHAR NOT NULL,
    url_key   VARCHAR NOT NULL,
    url       VARCHAR NOT NULL,
    depth     INTEGER NOT NULL,
    source    VARCHAR NOT NULL,
    done      BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (crawl_id, url_key)
);

CREATE TABLE page_links (
    crawl_id  VARCHAR NOT NULL,
    page_url  VARCHAR NOT NULL,
    href      VARCHAR NOT NULL,
    text      VARCHAR,
    rel       VARCHAR[],
    tag       VARCHAR,
    internal  BOOLEAN
);

CREATE TABLE crawl_images (
    crawl_id      VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    status        INTEGER,
    content_type  VARCHAR,
    width         INTEGER,
    height        INTEGER,
    error         VARCHAR,
    PRIMARY KEY (crawl_id, url)
);

ALTER TABLE crawl_pages ADD COLUMN url_key VARCHAR;
ALTER TABLE crawl_pages ADD COLUMN depth INTEGER;
ALTER TABLE crawl_pages ADD COLUMN bytes BIGINT;
ALTER TABLE crawl_pages ADD COLUMN elapsed_ms DOUBLE;
ALTER TABLE crawl_pages ADD COLUMN redirects VARCHAR[];
ALTER TABLE crawl_pages ADD COLUMN share_widgets VARCHAR[];
