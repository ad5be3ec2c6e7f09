-- How the latest snapshot's ranges were linked: per rule, the ranges and companies it linked and its
-- mean calibrated confidence.
WITH latest AS (SELECT max(snapshot) AS snapshot FROM company_links)
SELECT
  c.link_rule,
  count(*) AS ranges,
  count(DISTINCT c.register || ':' || c.register_id) AS companies,
  round(avg(c.confidence), 3) AS mean_confidence
FROM company_links c
JOIN latest l ON c.snapshot = l.snapshot
WHERE c.outcome = 'linked'
GROUP BY c.link_rule
ORDER BY ranges DESC, c.link_rule
