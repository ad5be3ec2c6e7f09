-- Share of each country's IPv4 space held by businesses, by access providers (isp, mobile) and by the rest
-- (hosting, education, government, unknown), in the latest index build.
WITH latest AS (SELECT max(snapshot) AS snapshot FROM ip_ranges),
space AS (
  SELECT r.country, r.range_class, sum(r.last_v4 - r.first_v4 + 1) AS addresses
  FROM ip_ranges r
  JOIN latest l ON r.snapshot = l.snapshot
  WHERE r.family = 4 AND r.country IS NOT NULL
  GROUP BY r.country, r.range_class
)
SELECT
  country,
  sum(addresses) AS ipv4_addresses,
  round(CAST(sum(CASE WHEN range_class = 'business' THEN addresses ELSE 0 END) AS DOUBLE) / sum(addresses), 4) AS business_share,
  round(CAST(sum(CASE WHEN range_class IN ('isp', 'mobile') THEN addresses ELSE 0 END) AS DOUBLE) / sum(addresses), 4) AS access_share,
  round(CAST(sum(CASE WHEN range_class NOT IN ('business', 'isp', 'mobile') THEN addresses ELSE 0 END) AS DOUBLE) / sum(addresses), 4) AS other_share
FROM space
GROUP BY country
ORDER BY ipv4_addresses DESC, country
