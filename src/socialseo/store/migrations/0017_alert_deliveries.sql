-- Alerts delivered per channel: one row per (rule, subject, period) and channel (email, webhook) that took it.
-- When one channel fails, the next refresh sends the alert again to that channel only; alerts_sent keeps the
-- alerts every channel has taken.
CREATE TABLE alert_deliveries (
    rule         VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,
    channel      VARCHAR NOT NULL,
    delivered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (rule, subject, period, channel)
);
