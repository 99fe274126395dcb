-- page_daily and page_daily_platform lose their primary keys. Both are rebuilt whole after every import and are
-- unique by construction (GROUP BY); the keys' indexes made a rebuild's commit several times slower than the
-- rebuild itself (400,000 page-days: 4.3 s against 1.1 s on a second rebuild).

CREATE TABLE page_daily_rebuilt (
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
    search_position    DOUBLE              -- impression-weighted, 1-based; NULL without impressions
);
INSERT INTO page_daily_rebuilt SELECT * FROM page_daily;
DROP TABLE page_daily;
ALTER TABLE page_daily_rebuilt RENAME TO page_daily;

CREATE TABLE page_daily_platform_rebuilt (
    page        VARCHAR NOT NULL,
    date        DATE NOT NULL,
    platform    VARCHAR NOT NULL,
    posts       INTEGER NOT NULL,
    engagement  BIGINT NOT NULL,
    link_clicks BIGINT NOT NULL,
    sessions    INTEGER NOT NULL
);
INSERT INTO page_daily_platform_rebuilt SELECT * FROM page_daily_platform;
DROP TABLE page_daily_platform;
ALTER TABLE page_daily_platform_rebuilt RENAME TO page_daily_platform;
