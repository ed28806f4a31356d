#!/usr/bin/env bash
# fmt.sh — gofmt -w on the Go code we write (generated files are the generators' business).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

go_source_files | xargs -r gofmt -l -w
