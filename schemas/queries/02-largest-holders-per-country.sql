-- The three registered companies holding the most IPv4 addresses in each country (the company's
-- country), in the latest index build.
WITH latest AS (SELECT max(snapshot) AS snapshot FROM ip_ranges),
holders AS (
  SELECT r.company_country AS country, r.register, r.register_id, r.company_name,
    sum(r.last_v4 - r.first_v4 + 1) AS ipv4_addresses, count(*) AS ranges
  FROM ip_ranges r
  JOIN latest l ON r.snapshot = l.snapshot
  WHERE r.family = 4 AND r.register IS NOT NULL
  GROUP BY r.company_country, r.register, r.register_id, r.company_name
),
ranked AS (
  SELECT h.*, row_number() OVER (PARTITION BY country ORDER BY ipv4_addresses DESC, register, register_id) AS rank
  FROM holders h
)
SELECT country, rank, company_name, register, register_id, ipv4_addresses, ranges
FROM ranked
WHERE rank <= 3
ORDER BY country, rank
