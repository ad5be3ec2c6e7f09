-- Companies any of whose names (registered, previous, trading, abbreviation) contains a word, with
-- the number of address ranges linked to them in the latest index build.
WITH latest AS (SELECT max(snapshot) AS snapshot FROM companies),
matches AS (
  SELECT DISTINCT n.register, n.register_id
  FROM company_names n
  JOIN latest l ON n.snapshot = l.snapshot
  WHERE lower(n.name) LIKE '%consulting%'
),
ranges AS (
  SELECT register, register_id, count(*) AS ranges
  FROM ip_ranges
  WHERE register IS NOT NULL AND snapshot = (SELECT max(snapshot) FROM ip_ranges)
  GROUP BY register, register_id
)
SELECT c.register, c.register_id, c.name, c.country, coalesce(r.ranges, 0) AS ranges
FROM companies c
JOIN latest l ON c.snapshot = l.snapshot
JOIN matches m ON m.register = c.register AND m.register_id = c.register_id
LEFT JOIN ranges r ON r.register = c.register AND r.register_id = c.register_id
ORDER BY ranges DESC, c.register, c.register_id
