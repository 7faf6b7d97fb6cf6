# Shared by the bench/*.sh scripts, sourced after scripts/lib.sh; measure uses
# $dir and $repeat. Public tools only: bash, /usr/bin/time, sort, awk.

# measure CMD...: after one warm-up run, the median wall seconds ($median) and
# the largest peak RSS in MB ($peak_mb) over $repeat runs. The wall time is
# bash's microsecond clock around the run (time(1)'s %e has 10 ms steps, as
# long as `wc -l` takes); the peak is time(1)'s.
measure() {
  local times=() rss=0 i line t0 t1
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  for i in $(seq "$repeat"); do
    t0=$EPOCHREALTIME
    /usr/bin/time -o "$dir/time" -f '%M' "$@" >/dev/null 2>"$dir/err" \
      || { echo "failed: $* : $(tail -3 "$dir/err")" >&2; exit 1; }
    t1=$EPOCHREALTIME
    line=$(tail -1 "$dir/time")
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
    [ "$line" -gt "$rss" ] && rss=$line
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  peak_mb=$((rss / 1024))
}

# bench_setup: build the release binaries in build/bench ($bin: timeline,
# $gen: gen_trace) and make the scratch directory $dir, removed on exit
bench_setup() {
  configure build/bench -Dbuildtype=release -Dtests=false -Dbench=true
  build build/bench
  bin=build/bench/src/cli/timeline
  gen=build/bench/bench/gen_trace
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
}
