-- Posts on open networks (Bluesky, Mastodon, Reddit, Hacker News) that link to the site, with the engagement the
-- network shows publicly. Each (post, target) is also a row of backlinks (found_by = 'discover'); this table keeps
-- what backlinks has no room for. Counts a network does not have stay NULL.
CREATE TABLE discovered_posts (
    platform     VARCHAR NOT NULL,         -- bluesky, mastodon, reddit, hackernews
    post_id      VARCHAR NOT NULL,         -- the network's id (at:// URI, status URI, fullname, story id)
    post_url     VARCHAR NOT NULL,
    target_url   VARCHAR NOT NULL,         -- normalised, as in backlinks
    target_page  VARCHAR,
    author       VARCHAR,
    published_at TIMESTAMP,
    text         VARCHAR,
    likes        BIGINT,                   -- likes, favourites
    reposts      BIGINT,                   -- reposts and quotes, reblogs
    replies      BIGINT,                   -- replies, comments
    score        BIGINT,                   -- Reddit score, Hacker News points
    first_seen   TIMESTAMP NOT NULL,
    last_seen    TIMESTAMP NOT NULL,
    import_id    BIGINT,
    PRIMARY KEY (platform, post_id, target_url)
);

-- Alerts already delivered: one row per rule, subject (a page, a platform, a crawl) and period, so a rule that
-- keeps holding is not sent again on every refresh.
CREATE TABLE alerts_sent (
    rule      VARCHAR NOT NULL,
    subject   VARCHAR NOT NULL,
    period    VARCHAR NOT NULL,
    message   VARCHAR NOT NULL,
    channels  VARCHAR NOT NULL,            -- where it went: email, webhook, report
    sent_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (rule, subject, period)
);
