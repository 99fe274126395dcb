-- Bots by purpose (training, search_index, user_fetch, preview, seo_tool, monitor, library, other), and whether a
-- hit claiming a search engine's or an AI operator's crawler came from that operator's published addresses
-- (true), from elsewhere (false: an impostor), or cannot be checked (NULL). Both are part of a hit's attribution.
ALTER TABLE hit_attributions ADD COLUMN bot_purpose VARCHAR;
ALTER TABLE hit_attributions ADD COLUMN bot_verified BOOLEAN;

-- The new columns come last, so that queries reading the view's columns by position keep working. Bots found
-- before purposes existed keep a NULL purpose; a behaviour rule's bot (robots.txt, request rate) is "other".
CREATE OR REPLACE VIEW hits AS
SELECT
    h.import_id, h.seq, h.ts, h.visitor_id, i.ip, q.method, q.url, q.page, q.protocol,
    CAST(h.status AS INTEGER) AS status, h.bytes, r.referrer, r.referrer_host, a.user_agent,
    t.is_bot OR h.bot_rule IS NOT NULL AS is_bot,
    CASE WHEN t.is_bot THEN t.bot_name ELSE h.bot_rule END AS bot_name,
    h.is_pageview AND h.bot_rule IS NULL AS is_pageview,
    t.channel, t.platform, t.evidence,
    CASE WHEN t.is_bot THEN t.bot_purpose WHEN h.bot_rule IS NOT NULL THEN 'other' END AS bot_purpose,
    t.bot_verified
FROM hit_rows h
JOIN hit_requests q ON q.request_id = h.request_id
JOIN hit_attributions t ON t.attribution_id = h.attribution_id
LEFT JOIN hit_ips i ON i.ip_id = h.ip_id
LEFT JOIN hit_referrers r ON r.referrer_id = h.referrer_id
LEFT JOIN hit_agents a ON a.agent_id = h.agent_id;
