-- Search Console by search appearance (rich result, video, AMP, ...), pulled day by day over the API. The API
-- groups by searchAppearance only on its own (not with page, query, country or device), so these rows are per
-- property, search type, day and appearance, beside search_performance rather than in it.
CREATE TABLE search_appearance (
    import_id    BIGINT NOT NULL,
    property     VARCHAR NOT NULL,        -- sc-domain:example.com or https://www.example.com/
    search_type  VARCHAR NOT NULL,        -- web, image, video, news, discover, googleNews
    date         DATE NOT NULL,           -- Pacific day, as Search Console counts it
    appearance   VARCHAR NOT NULL,        -- Search Console's name: AMP_BLUE_LINK, VIDEO, REVIEW_SNIPPET, ...
    clicks       BIGINT NOT NULL,
    impressions  BIGINT NOT NULL,
    position     DOUBLE,                  -- average position, one-based as the API gives it
    is_fresh     BOOLEAN NOT NULL DEFAULT false   -- the day was still being processed when pulled
);
