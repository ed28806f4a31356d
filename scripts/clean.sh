#!/usr/bin/env bash
# clean.sh — remove build outputs. The development database (./data) is kept:
# delete it yourself (rm -rf data) to start again from the demo data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rm -rf bin frontend/dist e2e/test-results e2e/playwright-report
log "removed bin/, frontend/dist/, e2e test reports (./data kept: rm -rf data to reset the dev database)"
