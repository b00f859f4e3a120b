#!/usr/bin/env bash
# The main job end to end on the embedded default: installs what is missing, builds both
# executables (release), starts a private PostgreSQL under .bursar/, submits the sample batch
# shipped in the repository (examples/tgp-2026-sample: applications, their documents, the
# exclusion list and the expected decisions) or the folder given, processes it, and prints the
# decisions. Usage: scripts/demo.sh [SAMPLE_FOLDER]
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
swift build -c release --product bursard >&2
BURSAR=.build/release/bursar
SAMPLE=${1:-examples/tgp-2026-sample}
if [ ! -f "$SAMPLE/batch.ndjson" ]; then
  echo "error: $SAMPLE/batch.ndjson not found (name a sample folder holding batch.ndjson)" >&2
  exit 2
fi
$BURSAR db migrate >&2
# Exit 3 (some records rejected) still processes the accepted ones.
$BURSAR submit "$SAMPLE/batch.ndjson" >&2 || [ $? -eq 3 ]
if [ -f "$SAMPLE/exclusions.csv" ]; then $BURSAR exclusions import "$SAMPLE/exclusions.csv" --program tgp-2026 >&2; fi
$BURSAR drain >&2
$BURSAR export decisions --program tgp-2026 --format ndjson
if [ -f "$SAMPLE/expected.ndjson" ]; then
  echo "expected decisions: $SAMPLE/expected.ndjson" >&2
fi
