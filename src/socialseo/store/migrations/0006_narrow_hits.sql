-- Access-log hits stored narrow: one row of numbers per hit, the strings once per import in lookup tables.
--
-- A log of millions of lines repeats a few thousand user agents, referrers and requests. Writing each hit as
-- twenty strings made the insert most of an import's time; writing ids into `hit_rows` and every distinct
-- string once per import (an id is never shared between imports, so deleting an import deletes its strings
-- with it) is several times cheaper, and `hits` stays, as a view, what every reader sees.
--
-- hit_requests      method, target and protocol of a request line, with its normalised page key
-- hit_referrers     the referrer as logged, with the host it names
-- hit_agents        the user agent as logged
-- hit_ips           the address as stored: masked unless the import ran with --keep-ip
-- hit_attributions  every distinct attribution (channel, platform, evidence, bot verdict), shared by imports
-- hit_rows          one row a hit: line number, time, keyed visitor hash, the ids above, status, size, whether
--                   it is a page view, and the behaviour rule that flagged its visitor as a bot, if any

CREATE TABLE hit_requests (
    request_id BIGINT NOT NULL,
    import_id  BIGINT NOT NULL,
    method     VARCHAR,
    url        VARCHAR,
    page       VARCHAR,
    protocol   VARCHAR
);

CREATE TABLE hit_referrers (
    referrer_id   BIGINT NOT NULL,
    import_id     BIGINT NOT NULL,
    referrer      VARCHAR,
    referrer_host VARCHAR
);

CREATE TABLE hit_agents (
    agent_id   BIGINT NOT NULL,
    import_id  BIGINT NOT NULL,
    user_agent VARCHAR NOT NULL
);

CREATE TABLE hit_ips (
    ip_id     BIGINT NOT NULL,
    import_id BIGINT NOT NULL,
    ip        VARCHAR NOT NULL
);

CREATE TABLE hit_attributions (
    attribution_id INTEGER NOT NULL,
    channel        VARCHAR NOT NULL,
    platform       VARCHAR,
    evidence       VARCHAR NOT NULL,
    is_bot         BOOLEAN NOT NULL,
    bot_name       VARCHAR
);

CREATE TABLE hit_rows (
    import_id      BIGINT NOT NULL,
    seq            BIGINT NOT NULL,
    ts             TIMESTAMP NOT NULL,
    visitor_id     BIGINT NOT NULL,
    ip_id          BIGINT,
    request_id     BIGINT NOT NULL,
    status         SMALLINT NOT NULL,
    bytes          BIGINT,
    referrer_id    BIGINT,
    agent_id       BIGINT,
    attribution_id INTEGER NOT NULL,
    is_pageview    BOOLEAN NOT NULL,
    bot_rule       VARCHAR
);

-- Hits already stored move to the narrow layout; visitor ids were hex strings and become numbers.
INSERT INTO hit_attributions
SELECT row_number() OVER (ORDER BY channel, platform, evidence, is_bot, bot_name) - 1, *
FROM (SELECT DISTINCT channel, platform, evidence, is_bot, bot_name FROM hits);

INSERT INTO hit_requests
SELECT row_number() OVER () AS request_id, *
FROM (SELECT DISTINCT import_id, method, url, page, protocol FROM hits);

INSERT INTO hit_referrers
SELECT row_number() OVER () AS referrer_id, *
FROM (SELECT DISTINCT import_id, referrer, referrer_host FROM hits WHERE referrer IS NOT NULL);

INSERT INTO hit_agents
SELECT row_number() OVER () AS agent_id, *
FROM (SELECT DISTINCT import_id, user_agent FROM hits WHERE user_agent IS NOT NULL);

INSERT INTO hit_ips
SELECT row_number() OVER () AS ip_id, *
FROM (SELECT DISTINCT import_id, ip FROM hits WHERE ip IS NOT NULL);

INSERT INTO hit_rows
SELECT h.import_id, h.seq, h.ts,
    CAST(('0x' || substr(md5(h.visitor_id), 1, 15)) AS BIGINT) AS visitor_id,
    i.ip_id, q.request_id, CAST(h.status AS SMALLINT), h.bytes, r.referrer_id, a.agent_id, t.attribution_id,
    h.is_pageview, NULL
FROM hits h
LEFT JOIN hit_ips i ON i.import_id = h.import_id AND i.ip = h.ip
JOIN hit_requests q ON q.import_id = h.import_id AND q.method IS NOT DISTINCT FROM h.method
    AND q.url IS NOT DISTINCT FROM h.url AND q.page IS NOT DISTINCT FROM h.page
    AND q.protocol IS NOT DISTINCT FROM h.protocol
LEFT JOIN hit_referrers r ON r.import_id = h.import_id AND r.referrer = h.referrer
    AND r.referrer_host IS NOT DISTINCT FROM h.referrer_host
LEFT JOIN hit_agents a ON a.import_id = h.import_id AND a.user_agent = h.user_agent
JOIN hit_attributions t ON t.channel = h.channel AND t.platform IS NOT DISTINCT FROM h.platform
    AND t.evidence = h.evidence AND t.is_bot = h.is_bot AND t.bot_name IS NOT DISTINCT FROM h.bot_name;

DROP TABLE hits;

CREATE VIEW hits AS
SELECT
    h.import_id, h.seq, h.ts, h.visitor_id, i.ip, q.method, q.url, q.page, q.protocol,
    CAST(h.status AS INTEGER) AS status, h.bytes, r.referrer, r.referrer_host, a.user_agent,
    t.is_bot OR h.bot_rule IS NOT NULL AS is_bot,
    CASE WHEN t.is_bot THEN t.bot_name ELSE h.bot_rule END AS bot_name,
    h.is_pageview AND h.bot_rule IS NULL AS is_pageview,
    t.channel, t.platform, t.evidence
FROM hit_rows h
JOIN hit_requests q ON q.request_id = h.request_id
JOIN hit_attributions t ON t.attribution_id = h.attribution_id
LEFT JOIN hit_ips i ON i.ip_id = h.ip_id
LEFT JOIN hit_referrers r ON r.referrer_id = h.referrer_id
LEFT JOIN hit_agents a ON a.agent_id = h.agent_id;

-- Sessions take the numeric visitor ids, and lose their primary key: they are rebuilt whole after every log import
-- and nothing looks one up by its id, while the key's index made each rebuild's commit about ten times slower than
-- the rebuild itself (740,000 sessions: 14 s against 1.5 s).
CREATE TABLE sessions_rebuilt (
    session_id   VARCHAR NOT NULL,
    visitor_id   BIGINT NOT NULL,
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
INSERT INTO sessions_rebuilt
SELECT session_id, CAST(('0x' || substr(md5(visitor_id), 1, 15)) AS BIGINT), start_ts, end_ts, duration_s,
    pageviews, landing_page, exit_page, channel, platform, evidence, is_bounce
FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_rebuilt RENAME TO sessions;
