#!/usr/bin/env bash
# Reading a hyperfine export of many runs: `timeline stats` on an export of
# RUNS runs of one command (times and exit codes), median wall time over
# REPEAT runs. Each run's exit code is taken beside its time in one walk;
# looked up by index in cJSON's linked list, 200 000 runs took 37 s.
#   bench/hyperfine.sh [RUNS] [REPEAT]     (defaults 200000 and 5)
set -eu
source "$(dirname "$0")/../scripts/lib.sh"
cd "$top"
runs=${1:-200000}
repeat=${2:-5}
ensure_packages "${base_packages[@]}"
configure build/bench -Dbuildtype=release -Dtests=false -Dbench=true
build build/bench
bin=build/bench/src/cli/timeline
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 -c '
import json, sys
n = int(sys.argv[1])
print(json.dumps({"results": [{"command": "a", "times": [0.001 * (1 + i % 7) for i in range(n)],
                               "exit_codes": [i % 3 == 0 and 1 or 0 for i in range(n)]}]}))' "$runs" > "$dir/hf.json"
times=()
for i in $(seq "$repeat"); do
  start=$EPOCHREALTIME
  "$bin" stats -f csv "$dir/hf.json" >/dev/null
  times+=("$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
printf 'stats of a hyperfine export of %d runs (%s bytes): median %.3f s over %d\n' \
  "$runs" "$(stat -c %s "$dir/hf.json")" "$median" "$repeat"
