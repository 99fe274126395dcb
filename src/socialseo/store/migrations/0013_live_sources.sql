-- Live sources: Search Console pulled over its API, and GA4's BigQuery export read as files.
--
-- search_performance  gains is_fresh: the row's day was still being processed when it was pulled (on or after
--                     the API's metadata.firstIncompleteDate); a later pull replaces it.
-- search_pulls        the days pulled for a property, search type and dimensions, and whether they were final:
--                     an incremental pull asks only for the others (and the last three days pulled).
-- ga4_sessions        one row per GA4 session fragment read from one export file (user_pseudo_id + ga_session_id):
--                     its traffic source as GA4 gives it, socialseo's channel and platform for it, landing page and
--                     page views. A session that two files hold (a table exported in shards, or one crossing
--                     midnight) has a fragment in each; ga4_traffic counts it once, on its first day.
-- ga4_page_views      page views (event_name page_view) per day, page and channel, from the same files.

ALTER TABLE search_performance ADD COLUMN is_fresh BOOLEAN;

CREATE TABLE search_pulls (
    property    VARCHAR NOT NULL,
    search_type VARCHAR NOT NULL,
    dims        VARCHAR NOT NULL,
    date        DATE NOT NULL,
    is_final    BOOLEAN NOT NULL,
    data_state  VARCHAR NOT NULL,            -- final or all
    import_id   BIGINT,                      -- NULL when the pull returned no rows
    pulled_at   TIMESTAMP NOT NULL
);

CREATE TABLE ga4_sessions (
    import_id        BIGINT NOT NULL,
    user_pseudo_id   VARCHAR NOT NULL,
    ga_session_id    BIGINT NOT NULL,
    date             DATE NOT NULL,            -- event_date of the fragment's first event (the property's time zone)
    start_ts         TIMESTAMP NOT NULL,       -- first event, UTC
    end_ts           TIMESTAMP NOT NULL,
    source           VARCHAR,
    medium           VARCHAR,
    campaign         VARCHAR,
    source_field     VARCHAR NOT NULL,         -- last_click, collected, first_user or none: where source/medium came from
    ga4_channel      VARCHAR,                  -- GA4's default channel group, when the export has it
    channel          VARCHAR NOT NULL,         -- socialseo's channel
    platform         VARCHAR,
    evidence         VARCHAR NOT NULL,
    landing_page     VARCHAR,                  -- page_location of the first page_view
    page_views       BIGINT NOT NULL,
    events           BIGINT NOT NULL,
    engaged          BOOLEAN NOT NULL,         -- session_engaged = 1 on any event
    engagement_ms    BIGINT NOT NULL           -- sum of engagement_time_msec
);

CREATE TABLE ga4_page_views (
    import_id  BIGINT NOT NULL,
    date       DATE NOT NULL,
    page       VARCHAR NOT NULL,               -- page_location as GA4 recorded it
    page_url   VARCHAR,                        -- normalised (socialseo.classify.urls)
    channel    VARCHAR NOT NULL,
    platform   VARCHAR,
    views      BIGINT NOT NULL,
    sessions   BIGINT NOT NULL
);
