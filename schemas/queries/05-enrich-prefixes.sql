-- Enriching a table of already aggregated address prefixes (never single visitor addresses) with the
-- companies behind them: the range-join columns first narrow by bucket (the IPv4 /16), then test the
-- integer bounds. Each prefix gets one row per range it overlaps, with the share of the prefix that
-- range covers; a prefix no range covers gets one row without a company. Replace `prefixes` with your
-- table: prefix, bucket (first address / 65536), first and last address as integers, visits.
WITH prefixes (prefix, bucket, first_v4, last_v4, visits) AS (
  VALUES
    ('1.0.7.0/24', 256, 16779008, 16779263, 120),
    ('1.0.66.0/24', 256, 16794112, 16794367, 75),
    ('2.0.2.0/24', 512, 33554944, 33555199, 40),
    ('203.0.113.0/24', 51968, 3405803776, 3405804031, 9)
),
latest AS (SELECT max(snapshot) AS snapshot FROM ip_ranges),
ranges AS (
  SELECT r.*
  FROM ip_ranges r
  JOIN latest l ON r.snapshot = l.snapshot
  WHERE r.family = 4
)
SELECT
  p.prefix,
  p.visits,
  r.first_address,
  r.last_address,
  r.range_class,
  r.company_name,
  r.register,
  r.register_id,
  r.company_country,
  -- least and greatest skip nulls in DuckDB but return null in Trino: a prefix without a range is tested first.
  CASE WHEN r.first_v4 IS NOT NULL
    THEN round(CAST(least(r.last_v4, p.last_v4) - greatest(r.first_v4, p.first_v4) + 1 AS DOUBLE) / (p.last_v4 - p.first_v4 + 1), 4)
  END AS share_of_prefix
FROM prefixes p
LEFT JOIN ranges r
  ON r.bucket_first <= p.bucket AND r.bucket_last >= p.bucket
  AND r.first_v4 <= p.last_v4 AND r.last_v4 >= p.first_v4
ORDER BY p.prefix, r.first_address
