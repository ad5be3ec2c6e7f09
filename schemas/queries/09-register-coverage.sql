-- Per register, in the latest snapshot: its companies, those with an LEI, and those with identified
-- IP space in the latest index build.
WITH latest AS (SELECT max(snapshot) AS snapshot FROM companies),
linked AS (
  SELECT DISTINCT register, register_id
  FROM ip_ranges
  WHERE register IS NOT NULL AND snapshot = (SELECT max(snapshot) FROM ip_ranges)
)
SELECT
  c.register,
  count(*) AS companies,
  count(c.lei) AS with_lei,
  count(k.register_id) AS with_ip_space
FROM companies c
JOIN latest l ON c.snapshot = l.snapshot
LEFT JOIN linked k ON k.register = c.register AND k.register_id = c.register_id
GROUP BY c.register
ORDER BY c.register
