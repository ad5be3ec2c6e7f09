#!/usr/bin/env bash
# `npm start`: the nightly pipeline end to end on the bundled world (data-samples/) into the local store
# (./lake), then what it made: the run, the links' quality, the published index, sample lookups.
set -euo pipefail
cd "$(dirname "$0")/.."
ipreg() { node dist/src/cli/main.js "$@"; }

echo "== the world's sample objection list (GDPR Art. 21) into the store: honoured by links and index"
# Put only when it differs: a rewritten list is a changed input, and links and the index would be made again.
ipreg store cat suppression/objections.csv --log-level silent 2>/dev/null | cmp -s - data-samples/truth/suppression.csv \
  || ipreg store put suppression/objections.csv data-samples/truth/suppression.csv --log-level warn > /dev/null
echo
echo "== nightly on data-samples/ into ${IPREG_STORE:-./lake}: ip-allocations, registers, links, index"
ipreg run nightly --sources data-samples --log-level error
echo
echo "== the runs recorded in the lake (ipreg runs show <run-id> for one)"
ipreg runs list --limit 5
echo
echo "== how good the links are against the world's truth"
ipreg eval links --world data-samples
echo
echo "== the published index"
ipreg index inspect --log-level warn
echo
echo "== what the resolver answers for three of the world's sample addresses (ipreg resolve; ipreg serve answers the same over HTTP)"
ipreg resolve $(tail -n +2 data-samples/truth/sample-addresses.csv | awk -F, '$3 == "business" && $4 != "" { print $1 }' | head -3) --log-level warn
echo
echo "== the same answers as a MaxMind DB (lake/ipreg.mmdb)"
ipreg index export --format mmdb --out "${IPREG_STORE:-./lake}/ipreg.mmdb" --log-level warn
echo
echo "== the tables they wrote"
ipreg store ls -r tables/
echo
echo "== the lake in SQL (DuckDB here; the same query runs in Athena): each register's companies, with an LEI and with IP space"
ipreg query --file schemas/queries/09-register-coverage.sql --log-level warn
