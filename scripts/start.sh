#!/usr/bin/env bash
# `npm start`: runs what ipreg can run so far end to end on the local store (./lake).
# It grows into the nightly pipeline on the bundled data-samples/ as the pipelines land.
set -euo pipefail
cd "$(dirname "$0")/.."
ipreg() { node dist/src/cli/main.js "$@"; }

echo "== effective configuration"
ipreg config
echo
echo "== write, read and list the lake (${IPREG_STORE:-./lake})"
ipreg store put runs/quick-start/hello.json - <<<"{\"hello\":\"lake\",\"at\":\"$(date -u +%FT%TZ)\"}"
ipreg store cat runs/quick-start/hello.json
ipreg store ls -r runs/
