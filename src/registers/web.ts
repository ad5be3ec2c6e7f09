/**
 * Websites as registers publish them ("www.example.no", "http://Example.be/", "example.ee/shop") and
 * the domain linking uses: the host, lower case, without a scheme, "www.", port, path or trailing dot.
 * A value that leaves no plausible host (no dot, a blank inside, an e-mail address) gives no domain.
 */

/** The website as published, trimmed (null when empty). */
export function websiteSql(expression: string): string {
  return `nullif(trim(${expression}), '')`;
}

/** The domain of a published website (SQL, null when the value holds none). */
export function domainSql(expression: string): string {
  const host = `regexp_extract(lower(trim(${expression})), '^(?:[a-z][a-z0-9+.-]*://)?(?:www[0-9]*\\.)?([^/:?#\\s]+)', 1)`;
  const clean = `rtrim(${host}, '.')`;
  return `CASE WHEN ${expression} IS NOT NULL AND NOT contains(${expression}, '@') AND regexp_full_match(${clean}, '([\\p{L}0-9-]+\\.)+[\\p{L}]{2,}') THEN ${clean} END`;
}
