#!/usr/bin/env bash
# `npm start`: runs what ipreg can run so far end to end on the bundled world (data-samples/) into the
# local store (./lake). It grows into the nightly pipeline as the pipelines land.
set -euo pipefail
cd "$(dirname "$0")/.."
ipreg() { node dist/src/cli/main.js "$@"; }

echo "== the IP-allocation pipeline on data-samples/ into ${IPREG_STORE:-./lake}"
ipreg run ip-allocations --sources data-samples --snapshot 2026-11-01 --log-level warn
echo
echo "== the registers pipeline on data-samples/"
ipreg run registers --sources data-samples --snapshot 2026-11-01 --log-level warn
echo
echo "== the links pipeline, with the world's sample objection list in the store"
ipreg store put suppression/objections.csv data-samples/truth/suppression.csv --log-level warn > /dev/null
ipreg run links --snapshot 2026-11-01 --log-level warn
echo
echo "== how good the links are against the world's truth"
ipreg eval links --world data-samples
echo
echo "== the index pipeline: build, verify, publish (index/latest.json)"
ipreg run index --snapshot 2026-11-01 --log-level warn
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
