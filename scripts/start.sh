#!/usr/bin/env bash
# `npm start`: runs what ipreg can run so far end to end on the bundled world (data-samples/) into the
# local store (./lake). It grows into the nightly pipeline as the pipelines land.
set -euo pipefail
cd "$(dirname "$0")/.."
ipreg() { node dist/src/cli/main.js "$@"; }

echo "== the IP-allocation pipeline on data-samples/ into ${IPREG_STORE:-./lake}"
ipreg run ip-allocations --sources data-samples --snapshot 2026-11-01 --log-level warn
echo
echo "== the registers pipeline (Companies House so far) on data-samples/"
ipreg run registers --sources data-samples --snapshot 2026-11-01 --log-level warn
echo
echo "== the tables they wrote"
ipreg store ls -r tables/
