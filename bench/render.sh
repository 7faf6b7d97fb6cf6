#!/usr/bin/env bash
# Render benchmarks against the seed articles' tools. Builds a release
# binary, generates the inputs, and prints for each figure: timeline's median
# wall time and peak RSS over REPEAT runs, output sizes, and the time
# matplotlib (Debian's python3-matplotlib) and gnuplot (gnuplot-nox,
# pngcairo) take on the same CSV, with the ratio.
#   bench/render.sh [REPEAT]     (default 5)
set -eu
source "$(dirname "$0")/../scripts/lib.sh"
cd "$top"
source bench/lib.sh # bench_setup, measure
repeat=${1:-5}
ensure_packages "${base_packages[@]}" python3-matplotlib gnuplot-nox time
bench_setup

once() { # once CMD...: wall seconds of one run
  /usr/bin/time -o "$dir/time" -f '%e' "$@" >/dev/null 2>"$dir/err" \
    || { echo "failed: $* : $(tail -3 "$dir/err")" >&2; exit 1; }
  tail -1 "$dir/time"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%d)  repeat: $repeat  matplotlib $(/usr/bin/python3 -c "import matplotlib; print(matplotlib.__version__)")  $(gnuplot --version)"
echo

$gen tracker 1000000 "$dir/tracker.csv"
echo "== seed-002 live tracker: 2 panels x 4 jobs x 10^6 samples ($(du -m "$dir/tracker.csv" | cut -f1) MB CSV)"
for fmt in png svg pdf; do
  measure $bin render "$dir/tracker.csv" -o "$dir/tracker.$fmt"
  printf 'timeline %-4s median %.2f s  peak %d MB  file %d KB\n' "$fmt" "$median" "$peak_mb" $(( $(stat -c %s "$dir/tracker.$fmt") / 1024 ))
  [ $fmt = png ] && tl_png=$median
done
mpl=$(once /usr/bin/python3 bench/mpl_render.py scatter "$dir/tracker.csv" "$dir/mpl-tracker.png")
printf 'matplotlib png    %.2f s  -> timeline is %.0fx faster\n' "$mpl" "$(echo "$mpl / $tl_png" | bc -l)"
echo

$gen gantt 1000000 "$dir/gantt.csv"
echo "== Gantt: 2 panels x 10^6 spans ($(du -m "$dir/gantt.csv" | cut -f1) MB CSV)"
measure $bin render "$dir/gantt.csv" -o "$dir/gantt.png"
printf 'timeline png  median %.2f s  peak %d MB\n' "$median" "$peak_mb"
echo

awk 'BEGIN { print "group,job,start,stop"; for (i = 0; i < 1000000; i++) printf "g%d,%d,%d,%d\n", i % 256, i % 1000, i, i + 1 }' > "$dir/g256.csv"
echo "== Gantt: 256 panels (16 x 16) x 1 000 000 spans"
for rows in job worker; do
  measure $bin render "$dir/g256.csv" --cols 16 --rows $rows --width 4000 --height 4000 -o "$dir/g256.png"
  printf 'timeline png  --rows %-6s median %.2f s  peak %d MB\n' "$rows" "$median" "$peak_mb"
done
echo

$gen seed "$dir/seed.csv"
echo "== seed-000 figure: 2 panels x 16 spans"
measure $bin render "$dir/seed.csv" -o "$dir/seed.png"
tl_seed=$median
printf 'timeline png  median %.3f s\n' "$median"
cat > "$dir/seed.gp" <<GP
set terminal pngcairo size 1200,500
set output '$dir/gnuplot-seed.png'
set datafile separator ','
set multiplot layout 1,2
set grid xtics
set xlabel 'Seconds'
set ylabel 'Tasks'
set style fill solid
set title 'Multi-Threading'
plot '$dir/seed.csv' every ::1::16 using ((\$4 + \$5) / 2):2:(\$4):(\$5):(\$2 - 0.4):(\$2 + 0.4) \
     with boxxyerror notitle
set title 'Multi-Processing'
plot '$dir/seed.csv' every ::17 using ((\$4 + \$5) / 2):2:(\$4):(\$5):(\$2 - 0.4):(\$2 + 0.4) \
     with boxxyerror notitle
unset multiplot
GP
measure gnuplot "$dir/seed.gp"
printf 'gnuplot pngcairo median %.3f s  -> timeline is %.1fx faster\n' "$median" "$(echo "$median / $tl_seed" | bc -l)"
mpl=$(once /usr/bin/python3 bench/mpl_render.py gantt "$dir/seed.csv" "$dir/mpl-seed.png")
printf 'matplotlib png   %.2f s\n' "$mpl"
