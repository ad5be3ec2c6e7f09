-- Access and hosting providers per country in the latest snapshot's WHOIS ranges: how many ranges each
-- class has, and how many distinct netnames.
WITH latest AS (SELECT max(snapshot) AS snapshot FROM company_links)
SELECT c.country, c.range_class, count(*) AS ranges, count(DISTINCT c.netname) AS netnames
FROM company_links c
JOIN latest l ON c.snapshot = l.snapshot
WHERE c.range_class IN ('isp', 'mobile', 'hosting') AND c.country IS NOT NULL
GROUP BY c.country, c.range_class
ORDER BY c.country, c.range_class
