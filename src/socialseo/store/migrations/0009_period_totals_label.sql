-- The period a Search Console web export's totals cover, as its Filters sheet wrote it ("Last 3 months"): kept
-- when the days cannot be derived, so that what is known is not lost and the days can be set later.
ALTER TABLE search_period_totals ADD COLUMN period_label VARCHAR;
