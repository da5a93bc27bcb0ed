#!/usr/bin/env bash
# Suites beyond `npm test`, each run only once its npm script exists: the fault suite,
# the browser tests and the quick benchmark. Jest suites write JSON into $1 for the summary.
set -uo pipefail
results="$1"
status=0
has_script() { node -e "process.exit(require('./package.json').scripts['$1'] ? 0 : 1)"; }

if has_script test:faults; then
  echo "--- fault suite"
  npm run test:faults -- --json --outputFile="$results/faults.json" || status=1
fi
if has_script test:browser; then
  echo "--- browser tests"
  npm run test:browser -- --json --outputFile="$results/browser.json" || status=1
fi
if has_script bench; then
  echo "--- quick benchmark (asserts exactness, not speed)"
  npm run bench -- --quick || status=1
fi
exit $status
