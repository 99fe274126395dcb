-- Social post metrics, search performance and the per-page daily timeline.

-- Posts: how the linked URL was resolved, and when the post was last updated by an import.
ALTER TABLE social_posts ADD COLUMN short_url VARCHAR;        -- the short link as exported, when there was one
ALTER TABLE social_posts ADD COLUMN link_status VARCHAR;      -- none, direct, expanded, unresolved
ALTER TABLE social_posts ADD COLUMN updated_import_id BIGINT;

-- The platform's own engagement count, when it reports one (it counts clicks too, so it is kept apart).
ALTER TABLE social_post_metrics ADD COLUMN engagements BIGINT;

-- Short link -> expanded URL, from post texts, exports that carry both, or a map the user supplied.
CREATE TABLE short_links (
    short_url    VARCHAR PRIMARY KEY,
    expanded_url VARCHAR NOT NULL,
    source       VARCHAR NOT NULL          -- export, text, user_map
);

-- Search Console rows keep what they aggregate: page-level rows (Search Console's byPage aggregation, or the
-- bulk export's url table) and property-level rows are never summed together.
ALTER TABLE search_performance ADD COLUMN aggregation VARCHAR;  -- page or property
ALTER TABLE search_performance ADD COLUMN source VARCHAR;       -- api, ui_export, bulk_export
ALTER TABLE search_performance ADD COLUMN dims VARCHAR;         -- dimensions of the row, e.g. date,page,query
ALTER TABLE search_performance ADD COLUMN search_type VARCHAR;  -- web, image, video, news, discover, googleNews
ALTER TABLE search_performance ADD COLUMN property VARCHAR;     -- sc-domain:example.com or https://www.example.com/
ALTER TABLE search_performance ADD COLUMN page_url VARCHAR;     -- page, normalised (socialseo.classify.urls)
ALTER TABLE search_performance ADD COLUMN position_sum DOUBLE;  -- 1-based position x impressions: sums exactly
ALTER TABLE search_performance ADD COLUMN is_anonymized BOOLEAN;

-- Search Console web-export sheets that total a whole period (Queries, Pages, Countries, Devices, Search
-- appearance): they have no date, so they cannot be daily rows.
CREATE TABLE search_period_totals (
    import_id   BIGINT NOT NULL,
    dimension   VARCHAR NOT NULL,          -- query, page, country, device, search_appearance
    value       VARCHAR,
    page_url    VARCHAR,
    clicks      BIGINT NOT NULL,
    impressions BIGINT NOT NULL,
    position    DOUBLE,
    date_from   DATE,
    date_to     DATE,
    search_type VARCHAR
);

-- Rank-tracker positions: one row per day, keyword and ranking URL.
CREATE TABLE rank_positions (
    date      DATE NOT NULL,
    keyword   VARCHAR NOT NULL,
    url       VARCHAR,
    page_url  VARCHAR,
    position  DOUBLE,                      -- NULL: not ranking in the tracked depth
    engine    VARCHAR,
    location  VARCHAR,
    device    VARCHAR,
    import_id BIGINT NOT NULL
);

-- One row per page and day, the complete panel the impact analysis reads. Rebuilt after every import.
-- page is the page's normalised absolute URL on the site's canonical host (docs/social-and-search.md).
CREATE TABLE page_daily (
    page               VARCHAR NOT NULL,
    date               DATE NOT NULL,
    social_posts       INTEGER NOT NULL,
    social_engagement  BIGINT NOT NULL,    -- likes + comments + shares + saves of posts published that day
    social_link_clicks BIGINT NOT NULL,
    social_impressions BIGINT NOT NULL,
    social_sessions    INTEGER NOT NULL,
    social_bounce_rate DOUBLE,             -- NULL on days without social sessions
    backlinks_new      INTEGER NOT NULL,
    search_clicks      BIGINT NOT NULL,
    search_impressions BIGINT NOT NULL,
    search_ctr         DOUBLE,             -- NULL on days without impressions
    search_position    DOUBLE,             -- impression-weighted, 1-based; NULL without impressions
    PRIMARY KEY (page, date)
);

CREATE TABLE page_daily_platform (
    page        VARCHAR NOT NULL,
    date        DATE NOT NULL,
    platform    VARCHAR NOT NULL,
    posts       INTEGER NOT NULL,
    engagement  BIGINT NOT NULL,
    link_clicks BIGINT NOT NULL,
    sessions    INTEGER NOT NULL,
    PRIMARY KEY (page, date, platform)
);
