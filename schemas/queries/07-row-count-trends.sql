-- Rows per table and snapshot: how the lake grows, and a table that shrank or went missing.
SELECT 'ip_delegations' AS table_name, snapshot, count(*) AS row_count FROM ip_delegations GROUP BY snapshot
UNION ALL SELECT 'inetnums', snapshot, count(*) FROM inetnums GROUP BY snapshot
UNION ALL SELECT 'whois_orgs', snapshot, count(*) FROM whois_orgs GROUP BY snapshot
UNION ALL SELECT 'aut_nums', snapshot, count(*) FROM aut_nums GROUP BY snapshot
UNION ALL SELECT 'companies', snapshot, count(*) FROM companies GROUP BY snapshot
UNION ALL SELECT 'company_links', snapshot, count(*) FROM company_links GROUP BY snapshot
UNION ALL SELECT 'ip_ranges', snapshot, count(*) FROM ip_ranges GROUP BY snapshot
ORDER BY table_name, snapshot
