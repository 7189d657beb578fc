#!/bin/sh
# The CI performance gate, as docs/ci/github-actions.yml runs it; runnable
# locally too. Builds hearth in release mode, runs Scenarios/ci-gate.yaml
# (exit 3 if one of its gates fails), then compares the run's report with
# the stored baseline (exit 3 if a gate-relevant figure regressed by more
# than the tolerance).
#
#   scripts/ci-gate.sh [BASELINE.json] [TOLERANCE]
set -eu
baseline=${1:-docs/ci/ci-gate-baseline.json}
tolerance=${2:-25%}
output=${HEARTH_CI_REPORTS:-Reports/ci}

./scripts/install-deps.sh
swift build -c release --product hearth
rm -rf "$output"
status=0
.build/release/hearth run Scenarios/ci-gate.yaml --output "$output" --progress plain || status=$?
report=$(ls "$output"/ci-gate-*/report.json)
.build/release/hearth report compare "$baseline" "$report" --tolerance "$tolerance" || status=$?
echo "reports: $(dirname "$report") (junit.xml for the CI's test view)"
exit "$status"
