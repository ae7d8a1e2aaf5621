#!/usr/bin/env bash
# Run each fuzz target for SECONDS (default 60). Generated inputs go to fuzz/corpus-*/ and
# crashing inputs to fuzz/corpus-crashes/ (both git-ignored); seeds stay in fuzz/seeds/.
#   fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
py="${PYTHON:-.venv/bin/python}"
[ -x "$py" ] || py=python
mkdir -p fuzz/corpus-lint fuzz/corpus-eml fuzz/corpus-framing fuzz/corpus-crashes
status=0
for target in lint eml framing; do
  echo "=== fuzz_${target} for ${secs}s"
  "$py" "fuzz/fuzz_${target}.py" "fuzz/corpus-${target}" "fuzz/seeds/${target}" \
    -max_total_time="${secs}" -timeout=20 -rss_limit_mb=4096 -max_len=8192 \
    -artifact_prefix="fuzz/corpus-crashes/${target}-" -print_final_stats=1 || status=$?
done
exit "$status"
