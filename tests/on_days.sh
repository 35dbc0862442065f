#!/usr/bin/env bash
# Run the suite (or part of it) with the clock moved to each given moment, so no test depends
# on today's date, month, time zone or a daylight-saving change.
#
#   tests/on_days.sh "2027-02-26 12:00" "2027-03-14 06:58" -- -m calendar
#
# Each moment is UTC. libfaketime (Debian's `faketime`) shifts every process the run starts
# (the test server, Chromium, `townhall serve`) by the same offset, so their clocks agree and
# keep ticking: a run that starts a few minutes before a daylight-saving change crosses it.
set -euo pipefail
cd "$(dirname "$0")/.."
days=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do days+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 1; }
for day in "${days[@]}"; do
  offset=$(( $(date -u -d "$day UTC" +%s) - $(date -u +%s) ))
  echo "== tests with the clock at $day UTC (offset ${offset}s)"
  # Only the wall clock moves: timed waits (threads, event loops) count on the monotonic
  # clock, which libfaketime would otherwise shift too and so never let them time out.
  # tests/faketime/sitecustomize.py mends time.sleep for that setting (see its docstring).
  PYTHONPATH="$PWD/tests/faketime${PYTHONPATH:+:$PYTHONPATH}" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    faketime -f "+${offset}s" .venv/bin/python -m pytest "$@"
done
