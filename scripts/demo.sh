#!/usr/bin/env bash
# The main job end to end on the embedded default: installs what is missing, builds, starts a
# private PostgreSQL under .bursar/, submits the public sample batch with its exclusion list,
# processes it, and prints the decisions.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -f /usr/include/postgresql/libpq-fe.h ]; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq postgresql libpq-dev >/dev/null
fi
unset DATABASE_URL
swift build -c release --product bursar >&2
BURSAR=.build/release/bursar
SAMPLE=${1:-../shared/examples/tgp-2026-sample}
$BURSAR db migrate >&2
$BURSAR submit "$SAMPLE/batch.ndjson" >&2 || true
if [ -f "$SAMPLE/exclusions.csv" ]; then $BURSAR exclusions import "$SAMPLE/exclusions.csv" --program tgp-2026 >&2; fi
$BURSAR drain >&2
$BURSAR export decisions --format ndjson
