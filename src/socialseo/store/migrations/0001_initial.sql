-- Foundation schema. All timestamps are UTC held in TIMESTAMP columns.

CREATE TABLE settings (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE sites (
    host     VARCHAR PRIMARY KEY,   -- lower-case host, e.g. www.example.com
    added_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE import_id_seq START 1;

-- The import ledger: one row per file imported. (kind, sha256) makes re-imports of the same bytes a no-op.
CREATE TABLE imports (
    import_id        BIGINT PRIMARY KEY,
    kind             VARCHAR NOT NULL,     -- logs, gsc, posts, backlinks, ...
    path             VARCHAR NOT NULL,
    sha256           VARCHAR NOT NULL,
    size_bytes       BIGINT NOT NULL,
    rows_read        BIGINT NOT NULL DEFAULT 0,
    rows_loaded      BIGINT NOT NULL DEFAULT 0,
    rows_quarantined BIGINT NOT NULL DEFAULT 0,
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,
    options          VARCHAR,              -- JSON of the options the import ran with
    UNIQUE (kind, sha256)
);

-- Rows no reader could make sense of: kept with their origin so nothing is lost.
CREATE TABLE quarantine (
    import_id   BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    line_no     BIGINT,                    -- 1-based line (or data row) number in the source file
    raw         VARCHAR,
    reason      VARCHAR NOT NULL
);

-- One row per access-log line that parsed.
CREATE TABLE hits (
    import_id     BIGINT NOT NULL,
    seq           BIGINT NOT NULL,         -- order of the line within its file: breaks ties of equal timestamps
    ts            TIMESTAMP NOT NULL,
    visitor_id    VARCHAR NOT NULL,        -- keyed hash of ip + user agent; never the raw IP
    ip            VARCHAR,                 -- masked (a.b.0.0 / first 3 groups of IPv6) unless --keep-ip
    method        VARCHAR,
    url           VARCHAR,                 -- request target as logged (path + query)
    page          VARCHAR,                 -- normalised page key: tracking parameters stripped
    protocol      VARCHAR,
    status        INTEGER,
    bytes         BIGINT,
    referrer      VARCHAR,
    referrer_host VARCHAR,
    user_agent    VARCHAR,
    is_bot        BOOLEAN NOT NULL,
    bot_name      VARCHAR,
    is_pageview   BOOLEAN NOT NULL,
    channel       VARCHAR NOT NULL,
    platform      VARCHAR,
    evidence      VARCHAR NOT NULL
);

-- Sessions of humans' page views, rebuilt from hits after every log import.
CREATE TABLE sessions (
    session_id   VARCHAR PRIMARY KEY,
    visitor_id   VARCHAR NOT NULL,
    start_ts     TIMESTAMP NOT NULL,
    end_ts       TIMESTAMP NOT NULL,
    duration_s   DOUBLE NOT NULL,
    pageviews    INTEGER NOT NULL,
    landing_page VARCHAR,
    exit_page    VARCHAR,
    channel      VARCHAR NOT NULL,
    platform     VARCHAR,
    evidence     VARCHAR NOT NULL,
    is_bounce    BOOLEAN NOT NULL
);

CREATE TABLE social_posts (
    platform     VARCHAR NOT NULL,
    account      VARCHAR,
    post_id      VARCHAR NOT NULL,
    post_url     VARCHAR,
    published_at TIMESTAMP,
    text         VARCHAR,
    linked_url   VARCHAR,                  -- as exported
    linked_page  VARCHAR,                  -- normalised page of our site, unwrapped from shorteners
    import_id    BIGINT NOT NULL,
    PRIMARY KEY (platform, post_id)
);

-- Metrics per post: one row per day, or one lifetime row (metric_date NULL).
CREATE TABLE social_post_metrics (
    platform    VARCHAR NOT NULL,
    post_id     VARCHAR NOT NULL,
    metric_date DATE,
    impressions BIGINT,
    reach       BIGINT,
    likes       BIGINT,
    comments    BIGINT,
    shares      BIGINT,
    saves       BIGINT,
    link_clicks BIGINT,
    video_views BIGINT,
    followers   BIGINT,
    import_id   BIGINT NOT NULL
);

-- Search Console performance rows. position is 1-based and impression-weighted.
CREATE TABLE search_performance (
    date        DATE NOT NULL,             -- Search Console's (Pacific time) day
    page        VARCHAR,
    query       VARCHAR,
    country     VARCHAR,
    device      VARCHAR,
    clicks      BIGINT NOT NULL,
    impressions BIGINT NOT NULL,
    position    DOUBLE,
    import_id   BIGINT NOT NULL
);

CREATE TABLE backlinks (
    source_url      VARCHAR NOT NULL,
    source_platform VARCHAR,
    source_domain   VARCHAR,
    target_url      VARCHAR NOT NULL,
    target_page     VARCHAR,
    anchor          VARCHAR,
    rel             VARCHAR,               -- space-separated, lower-case rel tokens
    is_followed     BOOLEAN NOT NULL,
    found_by        VARCHAR NOT NULL,      -- crawl, export, warc
    first_seen      TIMESTAMP,
    last_seen       TIMESTAMP,
    lost            BOOLEAN NOT NULL DEFAULT false,
    import_id       BIGINT
);

CREATE TABLE crawl_pages (
    crawl_id         VARCHAR NOT NULL,
    url              VARCHAR NOT NULL,
    final_url        VARCHAR,
    status           INTEGER,
    fetched_at       TIMESTAMP,
    content_type     VARCHAR,
    canonical        VARCHAR,
    title            VARCHAR,
    meta_description VARCHAR,
    opengraph        JSON,
    twitter          JSON,
    jsonld           JSON,
    error            VARCHAR
);

CREATE TABLE audit_findings (
    audit_id   VARCHAR NOT NULL,
    rule_id    VARCHAR NOT NULL,
    severity   VARCHAR NOT NULL,
    url        VARCHAR,
    message    VARCHAR NOT NULL,
    fix        VARCHAR,
    detail     JSON,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
