-- Why a post links to no page of the site: "short link not seen in logs", "link in bio", "no link",
-- "links to another site", "links to the post itself"; NULL when it links to a page.
ALTER TABLE social_posts ADD COLUMN unlinked_reason VARCHAR;
