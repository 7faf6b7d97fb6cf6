#!/usr/bin/env bash
# Reading benchmarks: how close `timeline` comes to the cost of looking at
# the bytes at all. Builds a release binary, generates the seed-002 tracker
# at 8 million samples (2 modes x 4 jobs x 10^6, `mode,job,t`, about 180 MB)
# and the Gantt of bench/render.sh (2 x 10^6 spans, about 90 MB), and prints
# for each target the median wall time and the largest peak RSS over REPEAT
# runs, with the ratio the target is about:
#   stats, 8 M samples            against `wc -l` of the same file    (target <= 6x)
#   render to PNG, 8 M samples    against `wc -l`                     (target <= 8x, <= 128 MB)
#   render to PNG, 8 M samples in the native CSV (as `timeline convert` writes them)
#   render to PNG, 2 x 10^6 spans                                     (target <= 0.8 s)
#   stats of the file gzipped     against `zcat FILE | wc -l`
#   render to text, 8 M samples   against the PNG                     (target <= 1x)
#   matplotlib on the 8 M file and on 800 k samples, once each, with MPL=1  (target >= 40x)
# The page cache is warmed by one run of each command before the timed ones.
#   bench/read.sh [REPEAT]     (default 5)
set -eu
source "$(dirname "$0")/../scripts/lib.sh"
cd "$top"
source bench/lib.sh # bench_setup, measure
repeat=${1:-5}
ensure_packages "${base_packages[@]}" time gzip
bench_setup

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%d)  repeat: $repeat  commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
echo

$gen tracker 1000000 "$dir/tracker.csv"
$gen gantt 1000000 "$dir/gantt.csv"
gzip -1 -k "$dir/tracker.csv"
echo "inputs: tracker.csv $(( $(stat -c %s "$dir/tracker.csv") / 1000000 )) MB (8 M samples), gantt.csv $(( $(stat -c %s "$dir/gantt.csv") / 1000000 )) MB (2 panels x 10^6 spans, as bench/render.sh), tracker.csv.gz $(( $(stat -c %s "$dir/tracker.csv.gz") / 1000000 )) MB"
echo

measure wc -l "$dir/tracker.csv"
wc=$median
printf '%-34s %7.3f s\n' "wc -l, 8 M samples" "$wc"

measure $bin stats "$dir/tracker.csv"
printf '%-34s %7.3f s  peak %4d MB  %sx wc -l (target <= 6x)\n' "stats, 8 M samples" "$median" "$peak_mb" "$(ratio "$median" "$wc")"

measure $bin render "$dir/tracker.csv" -o "$dir/tracker.png"
tl_png=$median
printf '%-34s %7.3f s  peak %4d MB  %sx wc -l (target <= 8x, <= 128 MB)\n' "render PNG, 8 M samples" "$median" "$peak_mb" "$(ratio "$median" "$wc")"

# The same samples as this project's own CSV writes them (kind column, time in 'start').
$bin convert "$dir/tracker.csv" -o "$dir/native.csv"
measure wc -l "$dir/native.csv"
nwc=$median
measure $bin render "$dir/native.csv" -o "$dir/native.png"
printf '%-34s %7.3f s  peak %4d MB  %sx wc -l of its file\n' "render PNG, 8 M samples, native" "$median" "$peak_mb" "$(ratio "$median" "$nwc")"

measure $bin render "$dir/gantt.csv" -o "$dir/gantt.png"
printf '%-34s %7.3f s  peak %4d MB  (target <= 0.8 s)\n' "render PNG, 2 x 10^6 spans" "$median" "$peak_mb"

measure sh -c "zcat '$dir/tracker.csv.gz' | wc -l"
zwc=$median
printf '%-34s %7.3f s\n' "zcat | wc -l, 8 M samples" "$zwc"
measure $bin stats "$dir/tracker.csv.gz"
printf '%-34s %7.3f s  peak %4d MB  %sx zcat | wc -l\n' "stats, 8 M samples gzipped" "$median" "$peak_mb" "$(ratio "$median" "$zwc")"

measure $bin render "$dir/tracker.csv" -T txt -o "$dir/tracker.txt"
printf '%-34s %7.3f s  peak %4d MB  %sx the PNG (target <= 1x)\n' "render text, 8 M samples" "$median" "$peak_mb" "$(ratio "$median" "$tl_png")"

if [ "${MPL:-0}" = 1 ]; then
  ensure_packages python3-matplotlib
  /usr/bin/time -o "$dir/time" -f '%e' /usr/bin/python3 bench/mpl_render.py scatter "$dir/tracker.csv" "$dir/mpl.png" >/dev/null 2>&1
  mpl=$(tail -1 "$dir/time")
  printf '%-34s %7.2f s  timeline is %sx faster (target >= 40x)\n' "matplotlib PNG, 8 M samples (once)" "$mpl" "$(ratio "$mpl" "$tl_png")"
  # The article's size: 800 000 samples (2 modes x 4 jobs x 10^5).
  $gen tracker 100000 "$dir/small.csv"
  measure $bin render "$dir/small.csv" -o "$dir/small.png"
  small=$median
  printf '%-34s %7.3f s  peak %4d MB\n' "render PNG, 800 k samples" "$small" "$peak_mb"
  /usr/bin/time -o "$dir/time" -f '%e' /usr/bin/python3 bench/mpl_render.py scatter "$dir/small.csv" "$dir/mpl-small.png" >/dev/null 2>&1
  mpl=$(tail -1 "$dir/time")
  printf '%-34s %7.2f s  timeline is %sx faster (target >= 40x)\n' "matplotlib PNG, 800 k samples (once)" "$mpl" "$(ratio "$mpl" "$small")"
fi
