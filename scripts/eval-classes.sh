#!/usr/bin/env bash
# The network classes on the real labelled set (src/links/fixtures/real-classes), with the known-operator
# list and without it, on the whole set and on its held-out part (the lines after 338): fetches the real
# routing data (@ip-location-db/asn, CC BY 4.0) from the npm registry into a cache once. Prints reports;
# a target not met is a figure to read, not a failure. Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
package='@ip-location-db/asn@2.3.2026061719'
cache="$HOME/.cache/ipreg-bench/_ip-location-db_asn_2.3.2026061719"  # the cache bench/index.ts fills too
if [[ ! -f "$cache/package/asn-ipv6.csv" ]]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
fi
cases=src/links/fixtures/real-classes/cases.csv
heldout=$(mktemp)
trap 'rm -f "$heldout"' EXIT
{ head -n 1 "$cases"; tail -n +339 "$cases"; } >"$heldout"
for set in "$cases" "$heldout"; do
  for operators in "" --no-operators; do
    [[ "$set" == "$cases" ]] && label="the whole set" || label="the held-out part (lines 339 on)"
    echo "== $label${operators:+, known-operator list off}"
    node dist/src/cli/main.js eval classes --cases "$set" --routing "$cache/package/asn-ipv4.csv" "$cache/package/asn-ipv6.csv" $operators
    echo
  done
done
