#!/usr/bin/env bash
# The browser suite N times in a row (default 5), stopping at the first failure: how the issue
# "One view state" asks that flakiness be checked. Each run's result and time go to
# .cache/browser-repeat/<time>.log (and the screen). Run after `bash scripts/test.sh` has
# installed what the tests need.
#   bash scripts/browser_repeat.sh [N] [extra pytest args]
set -uo pipefail
cd "$(dirname "$0")/.."
n="${1:-5}"; shift || true
mkdir -p .cache/browser-repeat
log=".cache/browser-repeat/$(date -u +%Y%m%dT%H%M%SZ).log"
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + local changes'), $(nproc) CPUs" | tee "$log"
for i in $(seq 1 "$n"); do
  start=$(date +%s)
  if python3 -m pytest -q -p no:cacheprovider tests/browser "$@" > "$log.run$i" 2>&1; then rc=0; else rc=$?; fi
  end=$(date +%s)
  summary=$(tail -n 1 "$log.run$i")
  echo "run $i/$n: exit $rc, $((end - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg): $summary" | tee -a "$log"
  if [ "$rc" != 0 ]; then
    grep -E "^(FAILED|ERROR)" "$log.run$i" | tee -a "$log"
    exit "$rc"
  fi
done
echo "all $n runs passed" | tee -a "$log"
