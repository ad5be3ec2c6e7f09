-- Companies with identified IP space, per country and NACE Rev. 2 division (a company with codes in
-- several divisions counts in each), in the latest snapshot.
WITH latest AS (SELECT max(snapshot) AS snapshot FROM ip_ranges),
linked AS (
  SELECT DISTINCT r.register, r.register_id, r.snapshot
  FROM ip_ranges r
  JOIN latest l ON r.snapshot = l.snapshot
  WHERE r.register IS NOT NULL
)
SELECT c.country, substr(n.code, 1, 2) AS nace_division, count(DISTINCT c.register || ':' || c.register_id) AS companies
FROM companies c
JOIN linked k ON k.register = c.register AND k.register_id = c.register_id AND k.snapshot = c.snapshot
CROSS JOIN UNNEST(c.nace_codes) AS n(code)
GROUP BY c.country, substr(n.code, 1, 2)
ORDER BY c.country, companies DESC, nace_division
