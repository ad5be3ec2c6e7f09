-- The pipelines' run history: runs, how they ended, the last start and the last snapshot made whole.
SELECT
  pipeline,
  count(*) AS runs,
  sum(CASE WHEN outcome = 'succeeded' THEN 1 ELSE 0 END) AS succeeded,
  sum(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failed,
  sum(CASE WHEN outcome IN ('died', 'stopped') THEN 1 ELSE 0 END) AS died_or_stopped,
  max(started_at) AS last_started,
  max(CASE WHEN outcome = 'succeeded' THEN snapshot END) AS last_good_snapshot
FROM runs
GROUP BY pipeline
ORDER BY pipeline
