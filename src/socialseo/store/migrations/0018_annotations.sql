-- Notes a user pins to a day ("site redesign live", "newsletter sent"): drawn on every time chart and listed by
-- `socialseo annotate list` beside the automatic ones (campaign starts, social spikes, imports, search-engine
-- updates), which are computed from the data each time and never stored here.
--
-- page      the page key the note is about (as page_daily stores it), NULL for the whole site
-- platform  the platform it is about (lower case), NULL for all

CREATE SEQUENCE annotation_ids START 1;

CREATE TABLE annotations (
    annotation_id BIGINT PRIMARY KEY DEFAULT nextval('annotation_ids'),
    date          DATE NOT NULL,
    text          VARCHAR NOT NULL,
    page          VARCHAR,
    platform      VARCHAR,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);
