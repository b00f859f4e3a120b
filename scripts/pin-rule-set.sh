#!/bin/sh
# Refreshes the rule-set pin (issue 23): decides the fixed corpus (Tests/Corpus/history and the public
# sample) with the code as it stands and writes its fingerprint under the program definition's
# rule_set into Tests/Corpus/history/rule-set.pin. Run it after moving `rule_set` in
# db/programs/tgp-2026.json (and adding the old name to RuleSetPin.retired) whenever a change of
# the code decides the corpus differently; RuleSetPinTests then passes again.
set -eu
cd "$(dirname "$0")/.."
BURSAR_PIN_WRITE=1 swift test --filter RuleSetPinTests
git diff --stat -- Tests/Corpus/history/rule-set.pin
