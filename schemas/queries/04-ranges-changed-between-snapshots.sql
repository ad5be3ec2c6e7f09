-- Companies whose linked address ranges changed between the two latest index builds: ranges they
-- gained and ranges they lost.
WITH snapshots AS (
  SELECT snapshot, row_number() OVER (ORDER BY snapshot DESC) AS n
  FROM (SELECT DISTINCT snapshot FROM ip_ranges) s
),
newer AS (
  SELECT r.register, r.register_id, r.company_name, r.first_address, r.last_address
  FROM ip_ranges r JOIN snapshots s ON s.snapshot = r.snapshot AND s.n = 1
  WHERE r.register IS NOT NULL
),
older AS (
  SELECT r.register, r.register_id, r.company_name, r.first_address, r.last_address
  FROM ip_ranges r JOIN snapshots s ON s.snapshot = r.snapshot AND s.n = 2
  WHERE r.register IS NOT NULL
)
SELECT
  coalesce(n.register, o.register) AS register,
  coalesce(n.register_id, o.register_id) AS register_id,
  max(coalesce(n.company_name, o.company_name)) AS company_name,
  sum(CASE WHEN o.first_address IS NULL THEN 1 ELSE 0 END) AS ranges_gained,
  sum(CASE WHEN n.first_address IS NULL THEN 1 ELSE 0 END) AS ranges_lost
FROM newer n
FULL OUTER JOIN older o
  ON o.register = n.register AND o.register_id = n.register_id AND o.first_address = n.first_address AND o.last_address = n.last_address
GROUP BY coalesce(n.register, o.register), coalesce(n.register_id, o.register_id)
HAVING sum(CASE WHEN o.first_address IS NULL OR n.first_address IS NULL THEN 1 ELSE 0 END) > 0
  -- With one build there is nothing to compare.
  AND (SELECT count(*) FROM snapshots) >= 2
ORDER BY register, register_id
