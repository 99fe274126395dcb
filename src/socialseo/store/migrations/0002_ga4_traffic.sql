-- Google Analytics 4 "Traffic acquisition" exports, for sites without access logs: one row per session
-- source / medium (and day, when the export has a Date column), with socialseo's channel for it.

CREATE TABLE ga4_traffic (
    import_id          BIGINT NOT NULL,
    line_no            BIGINT NOT NULL,       -- the row's line in the exported file
    start_date         DATE,                  -- the export's date range (from its header), when stated
    end_date           DATE,
    date               DATE,                  -- the row's day, when the export has a Date column
    source             VARCHAR,
    medium             VARCHAR,
    sessions           BIGINT NOT NULL,
    engaged_sessions   BIGINT,
    engagement_rate    DOUBLE,
    avg_engagement_s   DOUBLE,                -- "Average engagement time per session", seconds
    channel            VARCHAR NOT NULL,
    platform           VARCHAR,
    evidence           VARCHAR NOT NULL
);
