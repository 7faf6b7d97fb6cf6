#!/usr/bin/env bash
# The text preview against the PNG of the same input: -T txt must cost no
# more than the image. Builds a release binary, generates the seed-002 live
# tracker at scale (8 000 000 samples) and a Gantt of 1 000 000 spans (one
# job each), and prints for each input and output the median wall time and
# the largest peak RSS over REPEAT runs, the runs of both outputs taken in
# turns so that a busy machine weighs on both alike.
#   bench/term.sh [REPEAT [OTHER]]   (default 5; OTHER: another timeline
#                                     binary, measured in the same turns,
#                                     e.g. a build of an older commit)
set -eu
source "$(dirname "$0")/../scripts/lib.sh"
cd "$top"
source bench/lib.sh # bench_setup
repeat=${1:-5}
other=${2:-}
ensure_packages "${base_packages[@]}" time
bench_setup

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%d)  repeat: $repeat  commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
echo

# median FILE: the median of the numbers in FILE, one a line
median() {
  sort -g "$1" | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# bench NAME INPUT: each binary and format in turns, REPEAT rounds
bench() {
  local name=$1 input=$2 round b fmt line
  local bins=("$bin") labels=(this)
  [ -n "$other" ] && bins+=("$other") && labels+=(other)
  rm -f "$dir"/t-* "$dir"/m-*
  for round in $(seq "$repeat"); do
    for b in "${!bins[@]}"; do
      for fmt in png txt; do
        /usr/bin/time -o "$dir/time" -f '%e %M' "${bins[$b]}" render "$input" -T $fmt \
          -o "$dir/out.$fmt" >/dev/null 2>"$dir/err" \
          || { echo "failed: ${bins[$b]} render $input -T $fmt: $(tail -3 "$dir/err")" >&2; exit 1; }
        line=$(tail -1 "$dir/time")
        echo "${line% *}" >> "$dir/t-$b-$fmt"
        echo "${line#* }" >> "$dir/m-$b-$fmt"
      done
    done
  done
  echo "== $name ($(du -m "$input" | cut -f1) MB CSV)"
  for b in "${!bins[@]}"; do
    for fmt in png txt; do
      printf '%-5s %s  median %.2f s  peak %d MB\n' "${labels[$b]}" "$fmt" \
        "$(median "$dir/t-$b-$fmt")" $(($(sort -g "$dir/m-$b-$fmt" | tail -1) / 1024))
    done
  done
  echo
}

$gen tracker 1000000 "$dir/tracker.csv"
bench "seed-002 live tracker: 2 groups x 4 jobs x 10^6 samples" "$dir/tracker.csv"
rm -f "$dir/tracker.csv"

$gen gantt 500000 "$dir/gantt.csv"
bench "Gantt: 2 groups x 500 000 spans, a job each" "$dir/gantt.csv"
