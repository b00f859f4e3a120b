#!/usr/bin/env bash
# The officer's console in a real browser (issue 24): headless Chromium driven by Selenium through
# Tests/Browser/console_test.py, against `bursar console` over the public sample.
#
# Runs inside the throwaway cluster of scripts/test.sh (it reads BURSAR_TEST_DATABASE_URL,
# BURSAR_TEST_PG_BIN and BURSAR_TEST_PG_DATA); scripts/test.sh calls it after the Swift tests.
# Installs what is missing (Debian's chromium, chromium-driver and a Japanese font; Python's
# selenium from PyPI into .build/browser-python) when run as root.
# Screenshots: .build/console-screens/NN-name.png.
# Prints "browser: N passed, N failed" last; exits non-zero when a step or a test failed.
# Usage: scripts/browser-test.sh   (BURSAR_BROWSER_KEEP=1 keeps the test database for a look;
# BURSAR_BROWSER_README=1 copies the work queue's screenshot to docs/console.png for the README)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# The closing line is printed once: by the end of the run, or (set -e stopped a step) by cleanup.
reported=no
report() { reported=yes; echo "browser: $1 passed, $2 failed"; }
fail_setup() { echo "browser test: $1" >&2; report 0 1; exit 1; }
WORK=
DB=
CONSOLE_PID=
TEST_PID=
cleanup() {
    # Only what this script started: the console, and the test's process group (python,
    # chromedriver, chromium).
    if [ -n "$TEST_PID" ]; then kill -- -"$TEST_PID" 2>/dev/null || true; fi
    if [ -n "$CONSOLE_PID" ]; then
        kill "$CONSOLE_PID" 2>/dev/null || true
        # SIGTERM first; a console that has not exited 10 s later is killed.
        timeout 10 tail --pid="$CONSOLE_PID" -f /dev/null || kill -KILL "$CONSOLE_PID" 2>/dev/null || true
        wait "$CONSOLE_PID" 2>/dev/null || true
    fi
    if [ -n "$DB" ] && [ "${BURSAR_BROWSER_KEEP:-0}" != 1 ]; then
        "$PSQL" "$BURSAR_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
    if [ "$reported" = no ]; then echo "browser test: a step failed (see above)" >&2; report 0 1; fi
}
trap cleanup EXIT

for variable in BURSAR_TEST_DATABASE_URL BURSAR_TEST_PG_BIN BURSAR_TEST_PG_DATA; do
    [ -n "${!variable:-}" ] || fail_setup "$variable is not set: run scripts/test.sh (it starts the cluster)"
done

# --- What the browser needs -------------------------------------------------------------------
started=$(date +%s)
apt_updated=no
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ "$apt_updated" = no ]; then as_root apt-get update -qq; apt_updated=yes; fi
    # No recommends: chromium recommends desktop services (avahi, udev) a headless test never uses.
    as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "installing chromium and chromium-driver…"
    apt_install chromium chromium-driver
fi
# A Japanese font: without one the Japanese pages' screenshots show empty boxes.
if [ -z "$(fc-list :lang=ja 2>/dev/null)" ]; then
    echo "installing a Japanese font…"
    apt_install fonts-ipafont-gothic
fi
command -v python3 >/dev/null || apt_install python3
# selenium goes into a folder of this checkout, not the system's Python (PEP 668 forbids that on
# Debian, and --target skips that check by design).
PYLIB=$PWD/.build/browser-python
if ! PYTHONPATH=$PYLIB python3 -c 'import selenium' 2>/dev/null; then
    echo "installing selenium into $PYLIB…"
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --target "$PYLIB" 'selenium>=4.20,<5'
fi
echo "browser test: installs checked in $(($(date +%s) - started)) s"

# --- The database: the sample, and an application whose partner spelling is uncertain -----------
started=$(date +%s)
WORK=$(mktemp -d /tmp/bursar-browser-XXXXXX)
if ! swift build --product bursar >"$WORK/build.log" 2>&1; then
    cat "$WORK/build.log" >&2
    fail_setup "bursar did not build"
fi
BURSAR=$PWD/.build/debug/bursar
PSQL="$BURSAR_TEST_PG_BIN/psql"
DB=bursar_browser_$$
export DATABASE_URL="${BURSAR_TEST_DATABASE_URL%/*}/$DB"

"$PSQL" "$BURSAR_TEST_DATABASE_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $DB" >/dev/null
"$BURSAR" db migrate >/dev/null

# The officer signs in with a PostgreSQL login of their own, a member of bursar_officer, with a
# scram password: the cluster trusts every other local login, so this line makes a wrong password
# fail for real.
OFFICER=bursar_browser_officer
OFFICER_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
HBA="$BURSAR_TEST_PG_DATA/pg_hba.conf"
if ! grep -q "^host all $OFFICER " "$HBA"; then
    sed -i "1i host all $OFFICER 127.0.0.1/32 scram-sha-256" "$HBA"
fi
# The password goes through standard input, not a command line.
"$PSQL" "$BURSAR_TEST_DATABASE_URL" -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
SET client_min_messages = warning;
SELECT pg_reload_conf();
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$OFFICER') THEN CREATE ROLE $OFFICER LOGIN; END IF;
END \$\$;
SET password_encryption = 'scram-sha-256';
ALTER ROLE $OFFICER LOGIN PASSWORD '$OFFICER_PASSWORD';
GRANT bursar_officer TO $OFFICER;
SQL

SAMPLE=examples/tgp-2026-sample
# Exit 3 (some records rejected) still stores the accepted ones.
"$BURSAR" submit "$SAMPLE/batch.ndjson" >/dev/null || [ $? -eq 3 ]
# A new applicant (S-07's record with another person's name and birth date) enrolled at "Bayreuth":
# the matcher finds "University of Bayreuth" but cannot be sure, and Germany is in no category of
# (2)(a), so clause (2) waits for an officer and the spelling is in the work queue. The given name
# carries markup: the case page must show it as text and run none of it.
NEAR_MISS=S-90-near-miss
NEAR_MISS_GIVEN='Lena <script>window.bursarXSS = 1</script>'
mkdir -p "$WORK/batch/docs"
cp -R "$SAMPLE/docs/S-07-partner-only" "$WORK/batch/docs/"
line=$(grep '"applicant_id": "S-07-partner-only"' "$SAMPLE/batch.ndjson")
near=$(python3 - "$line" "$NEAR_MISS" "$NEAR_MISS_GIVEN" <<'PY'
import json, sys
record = json.loads(sys.argv[1])
record.update(applicant_id=sys.argv[2], family_name="Weber", given_name=sys.argv[3], birth_date="2001-05-17")
record["affiliation"]["institution"] = "Bayreuth"
print(json.dumps(record, ensure_ascii=False))
PY
)
printf '%s\n' "$near" >"$WORK/batch/near-miss.ndjson"
"$BURSAR" submit "$WORK/batch/near-miss.ndjson" >/dev/null
"$BURSAR" exclusions import "$SAMPLE/exclusions.csv" --program tgp-2026 >/dev/null
"$BURSAR" accounts import "$SAMPLE/accounts.csv" --program tgp-2026 >/dev/null
"$BURSAR" drain >/dev/null
# April's payments: two admitted scholars who arrived in March, one of them held with a reason.
cat >"$WORK/events.ndjson" <<'EVENTS'
{"event_id": "browser-a1", "type": "admitted", "applicant_id": "S-07-partner-only", "date": "2026-02-01"}
{"event_id": "browser-r1", "type": "arrived", "applicant_id": "S-07-partner-only", "date": "2026-03-20"}
{"event_id": "browser-a2", "type": "admitted", "applicant_id": "S-01-base", "date": "2026-02-01"}
{"event_id": "browser-r2", "type": "arrived", "applicant_id": "S-01-base", "date": "2026-03-20"}
EVENTS
"$BURSAR" events submit "$WORK/events.ndjson" >/dev/null
"$BURSAR" drain >/dev/null
"$BURSAR" payments hold S-01-base --reason "bank account being verified" >/dev/null
mkdir -m 700 "$WORK/payments"
"$BURSAR" payments run --program tgp-2026 --month 2026-04 --folder "$WORK/payments" >/dev/null
# Read whole before matching: `grep -q` would stop reading early and pipefail fail the pipe.
waiting=$("$BURSAR" review list)
grep -q '"Bayreuth"' <<<"$waiting" || fail_setup "the near-miss spelling is not in bursar review list"
echo "browser test: database ready in $(($(date +%s) - started)) s"

# --- The console, then the browser ----------------------------------------------------------
started=$(date +%s)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BURSAR_HOME=$PWD "$BURSAR" console --listen "127.0.0.1:$PORT" --program tgp-2026 >"$WORK/console.log" 2>&1 &
CONSOLE_PID=$!
# Ready when the login page answers (or fail at once when the server exits).
ready=0
python3 - "http://127.0.0.1:$PORT/login" "$CONSOLE_PID" <<'PY' || ready=$?
import os, sys, time, urllib.request
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        with open(f"/proc/{sys.argv[2]}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                sys.exit(1)
    except FileNotFoundError:
        sys.exit(1)
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
            sys.exit(0 if response.status == 200 else 1)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
PY
if [ "$ready" -ne 0 ]; then
    cat "$WORK/console.log" >&2
    fail_setup "the console did not start"
fi

SCREENS=$PWD/.build/console-screens
rm -rf "$SCREENS"
mkdir -p "$SCREENS"
log="$WORK/browser.log"
# Its own process group (setsid), so that cleanup ends chromedriver and chromium with it.
CONSOLE_URL="http://127.0.0.1:$PORT" CONSOLE_LOGIN=$OFFICER CONSOLE_PASSWORD=$OFFICER_PASSWORD \
    BURSAR_BIN=$BURSAR NEAR_MISS_ID=$NEAR_MISS NEAR_MISS_GIVEN=$NEAR_MISS_GIVEN \
    NEAR_MISS_SPELLING=Bayreuth NEAR_MISS_PARTNER="University of Bayreuth" \
    PAYMENT_MONTH=2026-04 SCREENS=$SCREENS PYTHONPATH=$PYLIB \
    setsid timeout --kill-after=10s 150s python3 Tests/Browser/console_test.py >"$log" 2>&1 &
TEST_PID=$!
status=0
wait "$TEST_PID" || status=$?
cat "$log"
echo "browser test: browser step in $(($(date +%s) - started)) s"
ran=$(sed -nE 's/^Ran ([0-9]+) tests? in .*/\1/p' "$log" | tail -n 1)
failed=$(sed -nE 's/^FAILED \((.*)\)$/\1/p' "$log" | tail -n 1 | tr ',' '\n' |
    awk -F= '/failures|errors/ { n += $2 } END { print n + 0 }')
ran=${ran:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$status" -ne 0 ]; then
    echo "--- console log ---" >&2
    tail -n 40 "$WORK/console.log" >&2
fi
echo "screenshots: $SCREENS"
# The README's picture of the console: the work queue, copied on request only (a test run leaves
# the checkout unchanged).
if [ "${BURSAR_BROWSER_README:-0}" = 1 ] && [ -f "$SCREENS/03-queue.png" ]; then
    cp "$SCREENS/03-queue.png" docs/console.png
    echo "docs/console.png: the work queue of this run"
fi
report "$((ran > failed ? ran - failed : 0))" "$failed"
exit "$status"
