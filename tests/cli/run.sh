#!/usr/bin/env bash
# CLI tests: run the binary and compare stdout, stderr and exit status; check
# that rejected input writes nothing. Prints TAP.
#   tests/cli/run.sh path/to/timeline path/to/tests [pngdiff [recorder-demo [libhold.so]]]
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tests=$(cd "$2" && pwd)
pngdiff=${3:-}
[ -n "$pngdiff" ] && pngdiff=$(cd "$(dirname "$pngdiff")" && pwd)/$(basename "$pngdiff")
recdemo=${4:-}
[ -n "$recdemo" ] && recdemo=$(cd "$(dirname "$recdemo")" && pwd)/$(basename "$recdemo")
holdlib=${5:-}
[ -n "$holdlib" ] && holdlib=$(cd "$(dirname "$holdlib")" && pwd)/$(basename "$holdlib")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# TL_WRAP: a command to run the binary under (valgrind), through a wrapper
# named timeline so that the README's commands find it on PATH too.
if [ -n "${TL_WRAP:-}" ]; then
  real=$bin
  bin=$work/bin/timeline
  mkdir -p "$work/bin"
  printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$TL_WRAP" "$real" > "$bin"
  chmod +x "$bin"
fi
source "$(dirname "$0")/tap.sh"
# held AT [SKIP] CMD...: run CMD in the background, stopped by tests/hold.c
# at AT (fdopen, fclose or rename of a temporary file; the SKIP first ones
# pass), with every signal at its default. Sets $pid, and $tmp to the
# temporary file's name once CMD is there (empty if it never gets there
# within 60 s, then killed).
held() {
  local at=$1 skip=$2
  shift 2
  local preload=$holdlib asan
  asan=$(ldd "$bin" | awk '/libasan/ { print $3; exit }')
  [ -n "$asan" ] && preload="$asan $holdlib" # its runtime must come first
  rm -f "$work/holdpipe"
  mkfifo "$work/holdpipe"
  env --default-signal TL_HOLD="$at" TL_HOLD_SKIP="$skip" TL_HOLD_FIFO="$work/holdpipe" \
    LD_PRELOAD="$preload" "$@" &
  pid=$!
  tmp=$(timeout 60 cat "$work/holdpipe") || { tmp=; kill -9 $pid; }
}
# finish PID: wait, 60 s at most, for PID to end (then kill it); status in $rc.
finish() {
  timeout 60 tail --pid="$1" -s 0.01 -f /dev/null || { echo "# $1 did not end in 60 s: killed"; kill -9 "$1"; }
  wait "$1" 2>/dev/null
  rc=$?
}
# Tests that take seconds natively (the demo, millions of rows) take minutes
# under valgrind: they run in the native and sanitizer passes only.
native() { [ -z "${TL_WRAP:-}" ]; }

# check NAME EXPECTED_STATUS EXPECTED_STDOUT_FILE|- EXPECTED_STDERR -- CMD...
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 5
  local out err rc
  out=$("$@" 2>"$work/stderr"); rc=$?
  err=$(cat "$work/stderr")
  if [ "$rc" != "$want_rc" ]; then
    not_ok "$name" "exit status $rc, want $want_rc" "stderr: $err"; return
  fi
  if [ "$want_err" != "*" ] && [ "$err" != "$want_err" ]; then
    not_ok "$name" "stderr: $err" "want:   $want_err"; return
  fi
  if [ "$want_out" != "-" ] && [ "$out" != "$(cat "$want_out")" ]; then
    not_ok "$name" "stdout differs from $want_out:" "$(diff <(echo "$out") "$want_out" | head -20)"; return
  fi
  ok "$name"
}

cd "$tests/data" || exit 1

# Every good file: its expected stats CSV (and table) beside it, and in
# NAME.args the options it is read with, if any.
for f in good/*; do
  case $f in *.stats.csv|*.stats.txt|*.args) continue ;; esac
  base=${f%.*}
  args=()
  [ -f "$base.args" ] && read -r -a args < "$base.args"
  if [ -f "$base.stats.csv" ]; then
    check "stats csv $f" 0 "$base.stats.csv" "" -- "$bin" stats --format csv "${args[@]}" "$f"
  fi
  if [ -f "$base.stats.txt" ]; then
    check "stats table $f" 0 "$base.stats.txt" "" -- "$bin" stats "${args[@]}" "$f"
  fi
done

# Every bad file: NAME.expect holds the exit status, then the exact stderr line.
for f in bad/*; do
  case $f in *.expect) continue ;; esac
  exp=${f%.*}.expect
  [ -f "$exp" ] || { not_ok "bad $f" "no $exp"; continue; }
  want_rc=$(sed -n 1p "$exp")
  want_err=$(sed -n 2p "$exp")
  read -r -a args <<< "$(sed -n 3p "$exp")" # options the case needs, if any
  check "bad $f" "$want_rc" - "$want_err" -- "$bin" stats "${args[@]}" "$f"
done

# The input options every reading command shares.
io=$(mktemp -d)
printf 'Task,Begun,Done\nT1,0,2\nT2,1,\n' > "$io/odd.csv"
check "--columns names columns" 0 - "" -- "$bin" stats -f csv --columns start=Begun,stop=Done "$io/odd.csv"
out=$("$bin" stats --columns start=Begun,stop=Done "$io/odd.csv" 2>&1)
[ "$(echo "$out" | tail -1)" = "columns: job=Task, start=Begun, stop=Done" ] \
  && ok "stats ends with the columns it read" || not_ok "stats ends with the columns it read" "$out"
line=$("$bin" render -T txt --ascii --columns start=Begun,stop=Done "$io/odd.csv" | grep '^T2 ')
[ "${line: -1}" = ">" ] && ok "the text preview marks an unfinished job's open end" || not_ok "the text preview marks an unfinished job's open end" "$line"
echo "$out" | grep -qx "1 span with no stop (unfinished) drawn to the end of its group" \
  && ok "stats says a span is unfinished" || not_ok "stats says a span is unfinished" "$out"
check "--columns: bad role" 2 - "timeline: stats: --columns: unknown role 'begin' (start, stop, duration, time, job, worker, group, status, label or kind) (try 'timeline help stats')" -- "$bin" stats --columns begin=Begun "$io/odd.csv"
check "--columns: no such column" 1 - "timeline: $io/odd.csv:1:1: --columns start='Start': no such column; the header has: 'Task', 'Begun', 'Done'" -- "$bin" stats --columns start=Start,stop=Done "$io/odd.csv"
check "--strict refuses a missing stop" 1 - "timeline: $io/odd.csv:3:6: missing stop time" -- "$bin" convert --strict --columns start=Begun,stop=Done "$io/odd.csv" -o "$io/x.csv"
[ ! -e "$io/x.csv" ] && ok "--strict leaves no output" || not_ok "--strict leaves no output"
check "bad --align" 2 - "timeline: render: invalid align 'left' (auto, start or absolute) (try 'timeline help render')" -- "$bin" render --align left good/minimal.csv -o "$io/x.png"
check "bad --group-name" 2 - "timeline: stats: invalid group-name 'threads' (OLD=NEW) (try 'timeline help stats')" -- "$bin" stats --group-name threads good/modes.csv
check "--group-name of no group" 2 - "timeline: --group-name thread=T: no group 'thread' (the groups: 'serial', 'threads', 'processes')" -- "$bin" stats --group-name thread=T good/modes.csv
check "--group-name of no group, render" 2 - "timeline: --group-name thread=T: no group 'thread' (the groups: 'serial', 'threads', 'processes')" -- "$bin" render -T txt --group-name thread=T good/modes.csv
out=$("$bin" stats -f csv --group-name threads=Multi-Threading --group-name processes=Multi-Processing good/modes.csv | cut -d, -f1 | tr '\n' ' ')
[ "$out" = "group serial Multi-Threading Multi-Processing " ] && ok "--group-name renames groups" || not_ok "--group-name renames groups" "$out"
check "--group-name onto another group" 2 - "timeline: --group-name threads=serial: a group called 'serial' exists already" -- "$bin" stats --group-name threads=serial good/modes.csv
# Several inputs: panels named after the files' base names, extensions and all.
mkdir -p "$io/runs"
cp good/minimal.csv "$io/runs/py-threads.csv"
gzip -c good/minimal.csv > "$io/runs/py-procs.csv.gz"
out=$("$bin" render -T txt --ascii "$io/runs/py-threads.csv" "$io/runs/py-procs.csv.gz" 2>&1)
echo "$out" | grep -q "py-threads" && echo "$out" | grep -q "py-procs" && ! echo "$out" | grep -q "runs/" \
  && ok "panels named by file base names" || not_ok "panels named by file base names" "$out"
out=$("$bin" render -v "$io/odd.csv" --columns start=Begun,stop=Done -o "$io/odd.png" 2>&1)
[ "$out" = "timeline: 1 span with no stop (unfinished) drawn to the end of its group
timeline: columns: job=Task, start=Begun, stop=Done" ] && ok "render -v says how the input was read" || not_ok "render -v says how the input was read" "$out"
# The articles' readers: threads, then processes, one file of epoch seconds.
"$bin" convert ../../samples/pandas-epoch.csv -o "$io/aligned.csv" >/dev/null
first=$(awk -F, '$1 == "span" && $2 == "Multi-Processing" {print $5; exit}' "$io/aligned.csv")
[ "${first%%.*}" = "0" ] && ok "groups that ran one after another each start at zero" || not_ok "groups that ran one after another each start at zero" "first start $first"
"$bin" convert --align absolute ../../samples/pandas-epoch.csv -o "$io/absolute.csv" >/dev/null
first=$(awk -F, '$1 == "span" && $2 == "Multi-Processing" {print $5; exit}' "$io/absolute.csv")
[ "${first%%.*}" != "0" ] && ok "--align absolute keeps their times" || not_ok "--align absolute keeps their times" "first start $first"
# Several inputs: -v says how each was read; stats renames in whichever input has the group.
printf 'mode,start,stop\na,0,1\n' > "$io/one.csv"
printf 'mode,start,stop\nb,0,2\n' > "$io/two.csv"
out=$("$bin" render -v -T txt --ascii "$io/one.csv" "$io/two.csv" 2>&1 >/dev/null)
[ "$out" = "timeline: $io/one.csv: columns: group=mode, start=start, stop=stop
timeline: $io/two.csv: columns: group=mode, start=start, stop=stop" ] && ok "render -v names each input" || not_ok "render -v names each input" "$out"
out=$("$bin" stats -f csv --group-name a=A --group-name b=B "$io/one.csv" "$io/two.csv" | cut -d, -f1 | tr '\n' ' ')
[ "$out" = "group one:A two:B " ] && ok "stats renames groups across inputs" || not_ok "stats renames groups across inputs" "$out"
# Compressed outputs name their format before .gz, .zst or .xz.
for z in gz zst xz; do
  "$bin" convert "$io/one.csv" -o "$io/out.csv.$z" && [ "$("$bin" stats -f csv "$io/out.csv.$z")" = "$("$bin" stats -f csv "$io/one.csv")" ] \
    && ok "convert to .csv.$z" || not_ok "convert to .csv.$z"
done
# What a newcomer found, kept fixed.
printf ',job,start,stop,status\n0,0.0,0.0,1.0,0.0\n1,1.0,0.5,2.0,1.0\n2,,0.6,2.0,\n' > "$io/nan-job.csv"
out=$("$bin" stats -f csv "$io/nan-job.csv" | sed -n 2p | cut -d, -f2)
[ "$out" = "3" ] && ok "a NaN job is not job 0" || not_ok "a NaN job is not job 0" "jobs: $out"
mkdir -p "$io/a" "$io/b"
printf 'start,stop\n0,1\n' > "$io/a/x.csv"
printf 'start,stop\n0,2\n' > "$io/b/x.csv"
out=$(cd "$io" && "$bin" stats -f csv a/x.csv b/x.csv a/x.csv | cut -d, -f1 | tr '\n' ' ')
[ "$out" = "group a/x.csv b/x.csv a/x.csv (2) " ] && ok "inputs with one base name are named by their paths" || not_ok "inputs with one base name are named by their paths" "$out"
out=$(cd "$io" && "$bin" render -T txt --ascii a/x.csv one.csv b/x.csv --group-name a/x.csv=first 2>&1 | grep -c '^first ')
[ "$out" = "1" ] && ok "--group-name takes a panel's full name" || not_ok "--group-name takes a panel's full name" "$out"
printf 'mode,start,stop\nthreads,0,1\n' > "$io/r1.csv"
cp "$io/r1.csv" "$io/r2.csv"
out=$("$bin" stats -f csv "$io/r1.csv" "$io/r2.csv" --group-name threads=T | cut -d, -f1 | tr '\n' ' ')
[ "$out" = "group r1:T r2:T " ] && ok "--group-name renames the group in every input" || not_ok "--group-name renames the group in every input" "$out"
# A full name is renamed whole, as render names the panel.
out=$("$bin" stats -f csv "$io/r1.csv" "$io/r2.csv" --group-name r1:threads=X | cut -d, -f1 | tr '\n' ' ')
[ "$out" = "group X r2:threads " ] && ok "stats takes a row's full name" || not_ok "stats takes a row's full name" "$out"
check "repeated --columns add up" 0 - "" -- "$bin" stats --columns start=Begun --columns stop=Done "$io/odd.csv"
printf 'start,stop\n0,1\n' | gzip > "$io/z.csv.gz"
"$bin" render "$io/z.csv.gz" >/dev/null 2>&1 && [ -f "$io/z.png" ] && ok "render names z.csv.gz's chart z.png" || not_ok "render names z.csv.gz's chart z.png" "$(ls "$io")"
out=$( (printf 'start,stop\n0,1\n'; head -c 64 /dev/zero) | "$bin" stats - 2>&1)
[ "$out" = "timeline: <stdin>:3:1: binary data (a NUL byte): not a text file" ] && ok "a pipe of binary data is refused at its first NUL" || not_ok "a pipe of binary data is refused at its first NUL" "$out"
"$bin" convert --columns start=Begun,stop=Done "$io/odd.csv" -o "$io/odd.json" && grep -q '"status":"unfinished"' "$io/odd.json" \
  && ok "Chrome JSON says unfinished in words" || not_ok "Chrome JSON says unfinished in words" "$(cat "$io/odd.json")"
[ "$("$bin" stats -f csv "$io/odd.json" | sed -n 1p)" = "group,jobs,workers,wall,busy,concurrency,speedup,unfinished,lanes" ] \
  && ok "unfinished survives Chrome JSON" || not_ok "unfinished survives Chrome JSON"
# Groups that alternate row by row: a thread per (group, worker), named once.
printf 'mode,job,worker,t\nA,0,a,0.1\nB,0,a,0.1\nA,1,b,0.2\nB,1,b,0.2\nA,0,a,0.3\nB,0,a,0.3\n' > "$io/alt.csv"
out=$("$bin" convert "$io/alt.csv" -o - -T chrome | grep -o '"thread_name","ph":"M","pid":[0-9]*,"tid":[0-9]*' | tr '\n' ' ')
[ "$out" = '"thread_name","ph":"M","pid":1,"tid":1 "thread_name","ph":"M","pid":2,"tid":1 "thread_name","ph":"M","pid":1,"tid":2 "thread_name","ph":"M","pid":2,"tid":2 ' ] \
  && ok "Chrome JSON: a thread per group and worker, however the groups alternate" || not_ok "Chrome JSON: a thread per group and worker, however the groups alternate" "$out"
# A symbolic link to a pipe or a terminal (/dev/stdout) is written through (one to a file is
# replaced, never written through: hostile.sh).
ln -s /proc/self/fd/1 "$io/to-stdout"
out=$("$bin" render "$io/z.csv.gz" -T svg -o "$io/to-stdout" | head -c 5)
[ "$out" = "<?xml" ] && [ -L "$io/to-stdout" ] && ok "an output linked to standard output is written there" \
  || not_ok "an output linked to standard output is written there" "$out $(ls -l "$io/to-stdout")"
"$bin" render "$io/z.csv.gz" -T svg -o /dev/stdout > "$io/via-stdout.svg" && [ "$(head -c 5 "$io/via-stdout.svg")" = "<?xml" ] \
  && { [ ! -e /dev/stdout ] || [ -L /dev/stdout ] || [ -c /dev/stdout ]; } && ok "-o /dev/stdout into a file writes standard output" \
  || not_ok "-o /dev/stdout into a file writes standard output" "$(ls -l /dev/stdout "$io/via-stdout.svg")"
rm -rf "$io"

# Inputs the fuzzer once broke: a clean verdict (0 or 1), never a crash.
fuzz_out=$(mktemp -d)
for f in fuzz/*; do
  "$bin" stats "$f" >/dev/null 2>&1; rc=$?
  [ $rc -le 1 ] && ok "fuzz regression stats $f" || not_ok "fuzz regression stats $f" "exit status $rc"
  timeout 60 "$bin" render "$f" -o "$fuzz_out/out.png" --width 400 --height 240 --color-by none >/dev/null 2>&1; rc=$?
  [ $rc -le 2 ] && ok "fuzz regression render $f" || not_ok "fuzz regression render $f" "exit status $rc"
done
rm -rf "$fuzz_out"

# 200 000 nested brackets: an error with a position, not a crash.
deep=$(mktemp)
{ printf '['; head -c 200000 /dev/zero | tr '\0' '['; } > "$deep"
out=$("$bin" stats "$deep" 2>&1); rc=$?
[ $rc = 1 ] && [ "$out" = "timeline: $deep:1:1002: JSON nested deeper than 1000 levels" ] \
  && ok "deep JSON nesting refused" || not_ok "deep JSON nesting refused" "rc=$rc $out"
rm -f "$deep"

# ninja build logs: told by their signature, forced, from stdin or compressed;
# the last build by default, --build to choose; notes say what was left out.
nj=good/ninja-builds.ninja_log
out=$("$bin" stats -f csv -I ninja --build all - < "$nj")
[ "$out" = "$(cat good/ninja-builds.stats.csv)" ] && ok "--input-format ninja on stdin" || not_ok "--input-format ninja on stdin" "$out"
gzip -c "$nj" > "$work/build.ninja_log.gz"
out=$("$bin" stats -f csv --build all "$work/build.ninja_log.gz")
[ "$out" = "$(cat good/ninja-builds.stats.csv)" ] && ok "a gzipped ninja log reads" || not_ok "a gzipped ninja log reads" "$out"
out=$("$bin" stats -f csv "$nj" | cut -d, -f1,2 | tr '\n' ' ')
[ "$out" = "group,jobs build 3,3 " ] && ok "ninja: the last build by default" || not_ok "ninja: the last build by default" "$out"
out=$("$bin" stats -f csv --build 2 "$nj" | cut -d, -f1,2 | tr '\n' ' ')
[ "$out" = "group,jobs build 2,2 " ] && ok "ninja: --build N" || not_ok "ninja: --build N" "$out"
out=$("$bin" stats "$nj")
echo "$out" | grep -qx '\* the input names no workers: lanes needed (most jobs running at once)' \
  && ok "ninja: stats counts lanes" || not_ok "ninja: stats counts lanes" "$out"
out=$("$bin" render -v -T txt --ascii "$nj" 2>&1 >/dev/null)
[ "$out" = "timeline: ninja log v6: build 3 of 3, the last; the others not shown (--build all or --build N shows them)
timeline: 1 line starting with '#' skipped, as ninja does" ] && ok "ninja: render -v says which builds were left out" \
  || not_ok "ninja: render -v says which builds were left out" "$out"
out=$("$bin" render -T txt --ascii --build all "$nj" | grep -c '^build [123] ')
[ "$out" = 3 ] && ok "ninja: --build all draws a panel per build" || not_ok "ninja: --build all draws a panel per build" "$out"
"$bin" render "$nj" -o "$work/ninja.png" && [ -s "$work/ninja.png" ] && ok "ninja: render a PNG" || not_ok "ninja: render a PNG"
"$bin" convert --build all "$nj" -o "$work/ninja.json" && [ "$("$bin" stats -f csv "$work/ninja.json")" = "$(cat good/ninja-builds.stats.csv)" ] \
  && ok "ninja -> JSON keeps the stats" || not_ok "ninja -> JSON keeps the stats" "$("$bin" stats -f csv "$work/ninja.json")"
check "--build: a bad value" 2 - "timeline: stats: invalid build 'first' (last, all or a number from 1) (try 'timeline help stats')" -- "$bin" stats --build first "$nj"
# A limit is a number: a unit alone is not 0 (no limit), nor is " -5" 2^64 - 5.
check "--max-memory: a unit alone" 2 - "timeline: stats: invalid max-memory 'GiB' (bytes, like 512M or 4G; 0: no limit) (try 'timeline help stats')" -- "$bin" stats --max-memory GiB "$nj"
check "--max-memory: negative" 2 - "timeline: stats: invalid max-memory ' -5' (bytes, like 512M or 4G; 0: no limit) (try 'timeline help stats')" -- "$bin" stats --max-memory ' -5' "$nj"
check "--max-rows: negative" 2 - "timeline: stats: invalid max-rows ' -5' (a whole number of at least 1) (try 'timeline help stats')" -- "$bin" stats --max-rows ' -5' "$nj"
# A limit so small that no row is read yet still names the input; one byte is "1 byte".
check "--max-memory: below the first row" 1 - "timeline: $tests/../samples/cpu-heavy.csv: memory limit reached: the trace would take more than 1 byte after 0 spans and samples (--max-memory)" -- "$bin" stats --max-memory 1 "$tests/../samples/cpu-heavy.csv"
check "an empty file name" 1 - "timeline: cannot open '': an empty file name" -- "$bin" stats ''
check "--build: 0 is no build" 2 - "timeline: render: invalid build '0' (last, all or a number from 1) (try 'timeline help render')" -- "$bin" render --build 0 "$nj"
check "--build on a CSV file" 2 - "timeline: good/minimal.csv: --build picks a build of a ninja log; this input is read as csv" -- "$bin" stats --build 2 good/minimal.csv
# The signature takes nothing from the formats told before it.
for fm in good/parallel-joblog.txt:joblog good/clang-ftime-trace.json:chrome good/hyperfine.json:hyperfine good/minimal.csv:csv; do
  f=${fm%:*}
  [ "$("$bin" stats -f csv "$f")" = "$("$bin" stats -f csv -I "${fm#*:}" "$f")" ] && ok "$f is still read as ${fm#*:}" \
    || not_ok "$f is still read as ${fm#*:}"
done

# Joblogs written by GNU parallel itself: failing and killed jobs.
if command -v parallel >/dev/null; then
  jl=$(mktemp)
  parallel --will-cite -j 2 --joblog "$jl" ::: 'exit 0' 'exit 3' 'sleep 0.2' 'kill -9 $$' >/dev/null 2>&1
  out=$("$bin" stats -f csv "$jl" 2>&1)
  [ "$(echo "$out" | sed -n 2p | cut -d, -f1-2)" = "local,4" ] && ok "GNU parallel joblog reads" || not_ok "GNU parallel joblog reads" "$out"
  table=$("$bin" stats "$jl" 2>&1)
  [ "$(echo "$table" | awk 'NR == 2 {print $NF}')" = 2 ] && ok "joblog: exit 3 and kill -9 are failures" || not_ok "joblog: exit 3 and kill -9 are failures" "$table" "$(cat "$jl")"
  rm -f "$jl"
else
  not_ok "GNU parallel joblog" "parallel is not installed"
fi

out=$("$bin" stats -f csv -I csv good/parallel-joblog.txt 2>&1); rc=$?
[ $rc = 1 ] && ok "--input-format csv forces CSV on a joblog" || not_ok "--input-format csv forces CSV on a joblog" "$out"
out=$("$bin" stats -f csv --input-format joblog - < good/parallel-joblog.txt)
[ "$out" = "$(cat good/parallel-joblog.stats.csv)" ] && ok "--input-format joblog on stdin" || not_ok "--input-format joblog on stdin" "$out"
# Slurm and Nextflow logs: detected, gzip-compressed, exact errors.
sl=logs/slurm/sacct-parsable2.txt
out=$("$bin" stats -f csv "$sl" | cut -d, -f1-2 | tr '\n' ' ')
[ "$out" = "group,jobs cpu,6 short,1 mem,1 " ] && ok "sacct --parsable2 detected" || not_ok "sacct --parsable2 detected" "$out"
gzip -c "$sl" > "$work/s.gz"
[ "$("$bin" stats -f csv "$work/s.gz")" = "$("$bin" stats -f csv "$sl")" ] && ok "sacct output gzip-compressed" || not_ok "sacct output gzip-compressed"
rm -f "$work/s.gz"
out=$("$bin" stats "$sl" | grep '^straggler')
[ "$out" = "straggler: cpu: 'qc (4103)' (job 7) ended last, alone for 15.150 min" ] && ok "stats names the straggler" || not_ok "stats names the straggler" "$out"
check "sacct without times" 1 - "timeline: logs/slurm/slurm-parsable2-header-default-fields-no-times-ood-sacct.txt:1:1: sacct output without a Start field: nothing to draw (sacct's default fields have no times; run it with --format=JobID,JobName,Partition,NodeList,Submit,Start,End,Elapsed,State,ExitCode)" -- "$bin" stats logs/slurm/slurm-parsable2-header-default-fields-no-times-ood-sacct.txt
check "sacct --noheader needs --fields" 1 - "timeline: logs/slurm/slurm-parsable2-noheader-slurm14-slyme-parallel.txt:1:1: no sacct header (JobID|...): for sacct --noheader output, give the fields as --format had them with --fields JobID,Start,End,..." -- "$bin" stats -I slurm logs/slurm/slurm-parsable2-noheader-slurm14-slyme-parallel.txt
check "bad --group-by" 2 - "timeline: stats: invalid group-by 'rack' (default, node or app) (try 'timeline help stats')" -- "$bin" stats --group-by rack "$sl"
out=$("$bin" stats -f csv logs/nextflow/nextflow-default-fields-resumed-cached-scisoseq.txt 2>&1 | cut -d, -f1-2 | tr '\n' ' ')
[ "$out" = "group,jobs get_software_versions,1 collate_results,1 " ] && ok "Nextflow trace: CACHED tasks not drawn" || not_ok "Nextflow trace: CACHED tasks not drawn" "$out"
check "bad input format" 2 - "timeline: stats: invalid input-format 'xml' (auto, csv, joblog, chrome, hyperfine, slurm, nextflow, spark, records or ninja) (try 'timeline help stats')" -- "$bin" stats -I xml good/minimal.csv
# Spark event logs and JSON records: told from the content, and not taking
# Chrome traces, hyperfine exports or CSV from their readers.
sp=$(mktemp -d)
for f in good/clang-ftime-trace.json good/chrome-open-array.json good/chrome-be.json good/hyperfine.json good/minimal.csv; do
  a=$("$bin" stats -f csv "$f" 2>&1); b=$("$bin" stats -f csv -I "$(case $f in *hyperfine*) echo hyperfine ;; *.json) echo chrome ;; *) echo csv ;; esac)" "$f" 2>&1)
  [ "$a" = "$b" ] && ok "detection still reads $f as before" || not_ok "detection still reads $f as before" "$a" "$b"
done
out=$("$bin" stats -f csv -I spark good/spark-statuses.jsonl)
[ "$out" = "$(cat good/spark-statuses.stats.csv)" ] && ok "--input-format spark" || not_ok "--input-format spark" "$out"
out=$("$bin" stats -f csv --group-by app good/spark-statuses.jsonl)
[ "$out" = "$(printf 'group,jobs,workers,wall,busy,concurrency,speedup,unfinished,failed,utilisation,straggler,straggler_job,straggler_alone,wait_mean,wait_max\ndemo (app-1),4,3,5.000000000,6.500000000,1.300000000,,1,1,0.433333333,stage 10.0 task 0,3,2.000000000,,')" ] \
  && ok "spark --group-by app: one group" || not_ok "spark --group-by app: one group" "$out"
check "spark --group-by node refused" 2 - "timeline: --group-by node: a Spark event log groups by stage (default) or app" -- "$bin" stats --group-by node good/spark-statuses.jsonl
zstd -q -c good/spark-statuses.jsonl > "$sp/app.zst"
gzip -c good/records-gh-jobs.json > "$sp/jobs.json.gz"
out=$("$bin" stats -f csv "$sp/app.zst")
[ "$out" = "$(cat good/spark-statuses.stats.csv)" ] && ok "a zstd Spark log reads" || not_ok "a zstd Spark log reads" "$out"
out=$("$bin" stats -f csv "$sp/jobs.json.gz")
[ "$out" = "$(cat good/records-gh-jobs.stats.csv)" ] && ok "gzip records read" || not_ok "gzip records read" "$out"
out=$("$bin" stats -f csv - < good/spark-statuses.jsonl)
[ "$out" = "$(cat good/spark-statuses.stats.csv)" ] && ok "a Spark log on standard input" || not_ok "a Spark log on standard input" "$out"
if command -v lz4 >/dev/null; then
  lz4 -q -c good/spark-statuses.jsonl > "$sp/app.lz4"
  out=$(lz4cat "$sp/app.lz4" | "$bin" stats -f csv -I spark -)
  [ "$out" = "$(cat good/spark-statuses.stats.csv)" ] && ok "lz4cat piped in, as the man page says" || not_ok "lz4cat piped in" "$out"
fi
out=$("$bin" stats good/spark-statuses.jsonl 2>&1 | grep -c "the log ends inside the event of line 12")
[ "$out" = 1 ] && ok "a Spark log cut short is read up to its last line, and says so" || not_ok "a Spark log cut short" "$out"
check "spark --strict refuses a log cut short" 1 - "timeline: good/spark-statuses.jsonl:12:1: the log ends inside this event (--strict)" -- "$bin" stats --strict good/spark-statuses.jsonl
printf '{"start": 1, "stop": 2}\n{"start": 3, "st' > "$sp/cut.jsonl"
out=$("$bin" stats -f csv "$sp/cut.jsonl" 2>&1 | sed -n 2p)
[ "$out" = ",1,1,1.000000000,1.000000000,1.000000000,,1" ] && ok "records cut short are read up to there" || not_ok "records cut short" "$out"
printf '[{"ts": 1, "dur": 2, "ph": "X", "name": "a", "pid": 1, "tid": 1}]' > "$sp/trace.json"
out=$("$bin" stats -f csv "$sp/trace.json" 2>&1 | cut -d, -f1-2 | sed -n 2p)
[ "$out" = "pid 1,1" ] && ok "an array of events with ph stays a Chrome trace" || not_ok "an array of events with ph stays a Chrome trace" "$out"
out=$("$bin" stats -f csv --columns "start=status.startTime,stop=status.end.0,job=metadata.name" - <<'JSON' 2>&1
{"items": [{"metadata": {"name": "a"}, "status": {"startTime": "2024-05-01T10:00:00Z", "end": ["2024-05-01T10:00:02.5Z"]}},
           {"metadata": {"name": "b"}, "status": {"startTime": "2024-05-01T10:00:01Z", "end": [null]}}]}
JSON
)
[ "$out" = "$(printf 'group,jobs,workers,wall,busy,concurrency,speedup,unfinished,lanes\n,2,2,2.500000000,4.000000000,1.600000000,,1,1')" ] \
  && ok "records: --columns takes dotted paths into objects and arrays" || not_ok "records: --columns takes dotted paths" "$out"
rm -rf "$sp"

# A hyperfine export written by hyperfine itself, with a failing command.
if command -v hyperfine >/dev/null; then
  hf=$(mktemp)
  hyperfine --runs 3 -i -N --export-json "$hf" 'true' 'false' >/dev/null 2>&1 \
    || hyperfine --runs 3 -i --export-json "$hf" 'true' 'false' >/dev/null 2>&1
  out=$("$bin" stats -f csv "$hf" 2>&1)
  [ "$(echo "$out" | awk -F, 'NR > 1 {printf "%s %s %s;", $1, $2, $8}')" = "true 3 0;false 3 3;" ] \
    && ok "hyperfine export: 2 commands of 3 runs, 3 failed runs" \
    || not_ok "hyperfine export: 2 commands of 3 runs, 3 failed runs" "$out"
  # Its mean, stddev, median, min and max as hyperfine computed them, and its relative speed.
  if [ -x /usr/bin/python3 ]; then
    out=$(/usr/bin/python3 "$tests/data/real/check_hyperfine.py" "$bin" "$hf" 2>&1) \
      && ok "hyperfine export: stats equal its own figures" || not_ok "hyperfine export: stats equal its own figures" "$out"
  fi
  "$bin" render "$hf" -o "$work/hf.png" && ok "hyperfine export renders" || not_ok "hyperfine export renders"
  rm -f "$hf"
else
  not_ok "hyperfine export" "hyperfine is not installed"
fi

# A trace written by Node with worker threads: a row per thread.
if command -v node >/dev/null; then
  nd=$(mktemp -d)
  cat > "$nd/w.js" <<'JS'
const { Worker, isMainThread } = require('worker_threads');
if (isMainThread) { for (let i = 0; i < 2; i++) new Worker(__filename); }
else { let s = 0; for (let i = 0; i < 3e6; i++) s += i; }
JS
  (cd "$nd" && node --trace-events-enabled --trace-event-categories v8,node w.js)
  out=$("$bin" stats -f csv "$nd"/node_trace.1.log 2>&1)
  workers=$(echo "$out" | sed -n 2p | cut -d, -f3)
  [ -n "$workers" ] && [ "$workers" -ge 3 ] && ok "node trace: main and two worker threads ($workers)" \
    || not_ok "node trace: main and two worker threads" "$out"
  "$bin" render "$nd"/node_trace.1.log -o "$nd/node.svg" && xmllint --noout "$nd/node.svg" \
    && ok "node trace renders" || not_ok "node trace renders"
  rm -rf "$nd"
else
  not_ok "node trace" "node is not installed"
fi

hfc=$(mktemp --suffix=.csv)
"$bin" convert good/hyperfine.json -o "$hfc" && [ "$(grep -c '^sample,hyperfine,' "$hfc")" = 5 ] && [ "$(grep -c '^span,hyperfine,' "$hfc")" = 5 ] \
  && ok "hyperfine: a span and a run-time sample per run" || not_ok "hyperfine: a span and a run-time sample per run" "$(cat "$hfc")"
# Converted, a benchmark stays one: its metadata goes along, and stats reads it back.
check "hyperfine converted to CSV is still a benchmark" 0 good/hyperfine.stats.csv "" -- "$bin" stats -f csv "$hfc"
"$bin" convert good/hyperfine.json -o "$hfc.json"
check "hyperfine converted to Chrome JSON is still a benchmark" 0 good/hyperfine.stats.csv "" -- "$bin" stats -f csv "$hfc.json"
rm -f "$hfc" "$hfc.json"
# Several benchmarks: a group column names each one's file; csv takes one kind of row only.
hfd=$(mktemp -d)
cp good/hyperfine.json "$hfd/a.json" && cp good/hyperfine.json "$hfd/b.json"
out=$("$bin" stats -f csv "$hfd/a.json" "$hfd/b.json")
[ "$(echo "$out" | head -1)" = "command,runs,mean,stddev,min,median,max,failed,relative,relative_stddev,group" ] \
  && [ "$(echo "$out" | cut -d, -f1,11 | tail -n +2 | tr '\n' ';')" = "sleep 0.1,a:hyperfine;./flaky --seed 7,a:hyperfine;sleep 0.1,b:hyperfine;./flaky --seed 7,b:hyperfine;" ] \
  && ok "two benchmarks: a row per command, named by file" || not_ok "two benchmarks: a row per command, named by file" "$out"
check "benchmark and other input in one csv" 2 - "timeline: stats: --format csv: 'good/minimal.csv' is not a benchmark and an input before it is one: give them to separate runs (try 'timeline help stats')" \
  -- "$bin" stats -f csv good/hyperfine.json good/minimal.csv
out=$("$bin" stats good/hyperfine.json good/minimal.csv)
[ "$(echo "$out" | head -1 | awk '{print $1, $2}')" = "group command" ] && echo "$out" | grep -q '^group  *jobs  *workers' \
  && ok "benchmark and other input: a table of each" || not_ok "benchmark and other input: a table of each" "$out"
rm -rf "$hfd"
# The text preview: the runs back to back, then the run times on an axis of their own.
out=$(COLUMNS=80 "$bin" render good/hyperfine.json -T txt --ascii)
want='hyperfine - spans  each command'"'"'s runs back to back
sleep 0.1        |#############################################################
./flaky --seed 7 |#######xxxxxxxxxxxxx
                 +--------------------------------------------------------------
                  0        50        100       150       200       250       300 ms
hyperfine run times  each run a mark - mean +- sd per command
sleep 0.1        |                                       %%%   102 ms +- 1.50 ms
./flaky --seed 7 |               %       %                    50.0 ms +- 14.1 ms
                 +------------------------------------------
                  0                  50                  100 ms, run time'
[ "$out" = "$want" ] && ok "hyperfine text preview: run times on their own axis" \
  || not_ok "hyperfine text preview: run times on their own axis" "$(diff <(echo "$out") <(echo "$want"))"

# The articles' own experiments in Python (real pools, real GIL), read back.
if [ -x /usr/bin/python3 ]; then
  py=$(mktemp -d)
  /usr/bin/python3 "$tests/../samples/python/threads_vs_processes.py" cpu "$py/cpu.csv" -n 200000 --jobs 4 --workers 2 \
    && out=$("$bin" stats -f csv "$py/cpu.csv") \
    && [ "$(echo "$out" | cut -d, -f1,2 | tr '\n' ' ')" = "group,jobs serial,4 threads,4 processes,4 " ] \
    && [ "$(echo "$out" | awk -F, 'NR == 1 { print $8 } NR > 1 && $8 ~ /^[0-9]+\.[0-9]+$/ { n++ } END { print n }' | tr '\n' ' ')" = "startup 3 " ] \
    && ok "python concurrent.futures experiment reads back, with each pool's start-up" || not_ok "python concurrent.futures experiment reads back" "$out"
  /usr/bin/python3 "$tests/../samples/python/threads_vs_processes.py" track "$py/track.csv" -n 2000 --jobs 2 --workers 2 \
    && [ "$(grep -c '^sample,' "$py/track.csv")" = 12000 ] && "$bin" render "$py/track.csv" -o "$py/track.png" \
    && ok "python live tracker renders" || not_ok "python live tracker renders"
  rm -rf "$py"
fi

# ---- terminal preview ----
out=$(COLUMNS=60 "$bin" render good/failed.csv -T txt --ascii)
[ "$out" = "$(cat "$tests/cli/failed-ascii.txt")" ] && ok "text preview, ASCII" || not_ok "text preview, ASCII" "$out"
out=$(COLUMNS=80 "$bin" render good/joblog-failed.txt -T txt)
[ "$(echo "$out" | grep -c '│')" = 4 ] && echo "$out" | grep -q 'sh -c  echo a tab' && ! echo "$out" | grep -q $'\x1b' \
  && ok "text preview, Unicode, no colour when piped, tabs in labels" || not_ok "text preview, Unicode, no colour when piped, tabs in labels" "$out"
width=$(COLUMNS=72 "$bin" render good/modes.csv -T txt | python3 -c 'import sys; print(max(len(l) for l in sys.stdin.read().splitlines()))')
[ "$width" -le 76 ] && ok "text preview fits the width ($width)" || not_ok "text preview fits the width" "$width"
# The preview's panels and subtitles are the image's: wall time, speedup against the reference.
out=$(COLUMNS=60 "$bin" render good/modes.csv -T txt --ascii | grep -E '^(serial|threads|processes) ')
[ "$out" = "serial  wall 8.00 s - reference
threads  wall 8.20 s - 0.98x vs serial
processes  wall 2.10 s - 3.81x vs serial" ] && ok "text preview: subtitles with the speedups" \
  || not_ok "text preview: subtitles with the speedups" "$out"
out=$(COLUMNS=60 "$bin" render good/modes.csv -T txt | grep -c $'\xc3\x97 vs serial')
[ "$out" = 2 ] && ok "text preview: speedups in Unicode" || not_ok "text preview: speedups in Unicode" "$out"
# Labels too long for a third of the line keep their end; --ascii cuts with "...".
printf 'job,start,stop,label\n0,0,1,https://api.example.com/catalogue/items/42/thumbnails\n1,1,2,https://api.example.com/catalogue/items/43/thumbnails\n' > "$work/long.csv"
out=$(COLUMNS=72 "$bin" render "$work/long.csv" -T txt --ascii)
[ "$out" = "wall 2.00 s
https:/.../42/thumbnails |#######################
https:/.../43/thumbnails |                      +######################+
                         +----------------------------------------------
                          0.0        0.5        1.0        1.5         2.0 s" ] \
  && ok "text preview: long labels cut in the middle, in ASCII" || not_ok "text preview: long labels cut in the middle, in ASCII" "$out"
# The unnamed group has one name wherever one is shown; alone, none.
printf 'group,job,start,end\nx,1,0,1\n,2,0.5,2\n' > "$work/unnamed.csv"
out=$("$bin" render "$work/unnamed.csv" -T txt | grep -c '^(unnamed)  wall 1.50 s'; "$bin" stats "$work/unnamed.csv" | grep -c '^(unnamed) ')
[ "$out" = "1
1" ] && ok "the unnamed group is '(unnamed)' in the text preview and stats" || not_ok "the unnamed group is '(unnamed)' in the text preview and stats" "$out"
"$bin" render "$work/unnamed.csv" -o "$work/unnamed.pdf"
out=$(pdftotext "$work/unnamed.pdf" - | grep -c '^(unnamed)$')
[ "$out" = 1 ] && ok "the unnamed group is '(unnamed)' on the chart" || not_ok "the unnamed group is '(unnamed)' on the chart" "$out"
# Names are shown safely: controls and bidirectional overrides blank, wide characters two columns.
printf 'job,worker,start,stop,label\n0,w\033x,0,1,a\001b\n1,v,0,1,job\342\200\256evil\n' > "$work/esc.csv"
"$bin" render "$work/esc.csv" -o "$work/esc.svg"
out=$(python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); print(" | ".join(t.firstChild.data for t in d.getElementsByTagName("title")))' "$work/esc.svg" 2>&1)
[ "$out" = "a b · job 0 · worker w x · start 0 s · 1.00 s · ok | job evil · job 1 · worker v · start 0 s · 1.00 s · ok" ] \
  && ok "SVG hover texts are XML with control characters and overrides blanked" || not_ok "SVG hover texts are XML with control characters and overrides blanked" "$out"
out=$(COLUMNS=40 "$bin" render "$work/esc.csv" -T txt --ascii | sed -n 2,3p | cut -c1-10)
[ "$out" = "a b      |
job evil |" ] && ok "text preview: controls and overrides in labels are blanks" || not_ok "text preview: controls and overrides in labels are blanks" "$out"
printf 'job,start,stop\n\344\270\213\350\275\275\346\226\207\344\273\266,0,1\nabcd,0,1\n' > "$work/cjk.csv"
out=$(COLUMNS=40 "$bin" render "$work/cjk.csv" -T txt --ascii | sed -n 2,3p | python3 -c 'import sys, unicodedata as u; print(" ".join(str(sum(2 if u.east_asian_width(c) in "WF" else 1 for c in l.split("|")[0])) for l in sys.stdin))')
[ "$out" = "9 9" ] && ok "text preview: wide characters take two columns" || not_ok "text preview: wide characters take two columns" "$out"
# Samples panels compare with the reference's samples, spans with its spans.
printf 'kind,group,job,worker,start,stop,time\nspan,A,0,0,0,1,\nsample,A,0,0,,,0\nsample,A,0,0,,,10\nspan,B,0,0,0,2,\nsample,B,0,0,,,0\nsample,B,0,0,,,5\n' > "$work/kinds.csv"
out=$("$bin" render "$work/kinds.csv" -T txt --ascii | grep wall | tr '\n' '/')
[ "$out" = "A - spans  wall 1.00 s - reference/B - spans  wall 2.00 s - 0.50x vs A/A - samples  wall 10.0 s - reference/B - samples  wall 5.00 s - 2.00x vs A/" ] \
  && ok "speedups compare panels of one kind" || not_ok "speedups compare panels of one kind" "$out"
# No speedup reads as zero.
printf 'group,job,start,stop\na,0,0,0.001\nb,0,0,1000\nc,0,0,0.5\n' > "$work/tiny.csv"
out=$("$bin" stats "$work/tiny.csv" | awk 'NR > 1 && NR < 5 {print $NF}' | tr '\n' ' ')
[ "$out" = "1.00× 1e-06× 0.002× " ] && ok "speedups under 0.01 keep two significant digits" || not_ok "speedups under 0.01 keep two significant digits" "$out"
# The text preview into a file named as an image is refused, and no file is left.
out=$("$bin" render "$work/hours.csv" -T txt -o "$work/preview.png" 2>&1); rc=$?
[ $rc = 2 ] && [ ! -e "$work/preview.png" ] && [ "$out" = "timeline: render: '$work/preview.png' names a png file but --format is txt (try 'timeline help render')" ] \
  && ok "text preview into a .png name refused" || not_ok "text preview into a .png name refused" "rc=$rc $out"
# Tick labels that carry their units ("1 h") get no unit after the axis.
printf 'job,start,stop\n0,0,3600\n1,1800,10800\n' > "$work/hours.csv"
out=$(COLUMNS=60 "$bin" render "$work/hours.csv" -T txt --ascii | tail -1)
[ "$out" = "       0                1 h              2 h              3 h" ] && ok "text preview: self-labelled ticks, no unit repeated" || not_ok "text preview: self-labelled ticks, no unit repeated" "$out"
# --xlim takes units beyond seconds.
out=$(COLUMNS=60 "$bin" render "$work/hours.csv" --xlim '1h:2h 30min' -T txt --ascii | tail -1)
[ "$out" = "       1 h              1 h 30 min        2 h" ] && ok "--xlim in hours and minutes" || not_ok "--xlim in hours and minutes" "$out"
# --sort duration orders sample rows by first to last sample.
printf 'job,time\n1,0\n1,0.2\n2,0.1\n2,0.9\n3,0.3\n3,0.6\n' > "$work/sampled.csv"
out=$("$bin" render "$work/sampled.csv" --sort duration -T txt --ascii | sed -n 2,4p | cut -d' ' -f1,2 | tr '\n' ',')
[ "$out" = "job 2,job 3,job 1," ] && ok "--sort duration orders sample rows" || not_ok "--sort duration orders sample rows" "$out"
# Slurm and Nextflow write local times with no zone: they are not called UTC.
out=$("$bin" stats logs/slurm/sacct-parsable2.txt | grep '^times are')
[ "$out" = "times are relative to 2026-01-15 19:30:05.000000000 (the earliest time)" ] && ok "sacct times are local time" || not_ok "sacct times are local time" "$out"
out=$("$bin" stats logs/nextflow/nextflow-trace.txt | grep -c 'UTC')
[ "$out" = 0 ] && ok "Nextflow times are local time" || not_ok "Nextflow times are local time" "$out"
# Many groups that ran at once are one panel; --panels group keeps a panel each.
python3 -c "
print('task_id\thash\tname\tstatus\texit\tsubmit\tduration\trealtime')
for i in range(9):
    print(f'{i + 1}\t00/{i:04x}\tP{i} (s)\tCOMPLETED\t0\t2024-01-01 10:00:0{i}.000\t{i + 2}s\t{i + 1}s')" > "$work/nine.trace.txt"
out=$("$bin" render "$work/nine.trace.txt" -T txt --ascii | grep -c 'wall')
[ "$out" = 1 ] && ok "nine processes that ran at once: one panel" || not_ok "nine processes that ran at once: one panel" "$out"
out=$("$bin" render "$work/nine.trace.txt" --panels group -T txt --ascii | grep -c 'wall')
[ "$out" = 9 ] && ok "--panels group: a panel each" || not_ok "--panels group: a panel each" "$out"
"$bin" render "$work/nine.trace.txt" -o "$work/nine.pdf"
out=$(pdftotext "$work/nine.pdf" - | grep -E '^(P[0-9] \(s\)|9 groups)' | sort | tr '\n' ',')
[ "$out" = "P0 (s),P1 (s),P2 (s),P3 (s),P4 (s),P5 (s),P6 (s),P7 (s),P8 (s)," ] && ok "one panel: a row per task" || not_ok "one panel: a row per task" "$out"
# A plot too narrow for its tick labels is refused, not drawn unreadable.
out=$("$bin" render "$tests/../samples/cpu-heavy.csv" --dpi 1000 -o "$work/dpi.png" 2>&1); rc=$?
[ $rc = 2 ] && [ ! -e "$work/dpi.png" ] && [ "$out" = "timeline: render: the canvas is too small for the labels: the plot area would be 52×568 px; give a larger --width or --height (try 'timeline help render')" ] \
  && ok "--dpi 1000 on the default width: refused" || not_ok "--dpi 1000 on the default width: refused" "rc=$rc $out"
# Queue waits survive a conversion to CSV (and are not claimed by a Chrome export).
"$bin" convert logs/slurm/sacct-parsable2.txt -o "$work/sacct.csv"
[ "$("$bin" stats -f csv "$work/sacct.csv")" = "$("$bin" stats -f csv logs/slurm/sacct-parsable2.txt)" ] \
  && ok "sacct -> CSV keeps the queue waits" || not_ok "sacct -> CSV keeps the queue waits" "$("$bin" stats "$work/sacct.csv")"
"$bin" convert logs/slurm/sacct-parsable2.txt -o "$work/sacct.json"
out=$("$bin" stats "$work/sacct.json" | grep -c 'wait')
[ "$out" = 0 ] && ok "sacct -> Chrome JSON claims no waits" || not_ok "sacct -> Chrome JSON claims no waits" "$out"
printf 'job,start,stop,wait\n1,0,5,2.5\n2,1,3,1m\n3,2,4,\n' > "$work/waits.csv"
out=$("$bin" stats -f csv "$work/waits.csv" | cut -d, -f13,14 | tail -1)
[ "$out" = "20.833333333,60.000000000" ] && ok "a CSV wait column: mean and max wait" || not_ok "a CSV wait column: mean and max wait" "$out"
# A record's value that is no JSON value is refused where it is (found by fuzzing).
printf '{"start": 1, "stop": 2, "task": \030"x"}\n' > "$work/badval.json"
check "records: a control character before a string" 1 - "timeline: $work/badval.json:1:33: invalid JSON value" -- "$bin" stats -I records "$work/badval.json"
printf '{"start": 1, "stop": 2, "label": nope}\n' > "$work/nope.json"
check "records: a bare word is no JSON value" 1 - "timeline: $work/nope.json:1:34: invalid JSON in a record" -- "$bin" stats -I records "$work/nope.json"
# A Nextflow trace with its own trace.fields (no hash): still Nextflow.
printf 'task_id\tprocess\ttag\tname\tstatus\texit\tsubmit\tstart\tcomplete\tduration\trealtime\thostname\n1\tNF:FASTQC\ts1\tNF:FASTQC (s1)\tCOMPLETED\t0\t2026-01-15 10:00:00.000\t2026-01-15 10:00:05.000\t2026-01-15 10:01:05.000\t1m 5s\t1m\tnodeA\n' > "$work/nf-fields.txt"
out=$("$bin" stats -f csv "$work/nf-fields.txt" | cut -d, -f1-5,13 | tail -1)
[ "$out" = "NF:FASTQC,1,1,60.000000000,60.000000000,5.000000000" ] && ok "a Nextflow trace with its own fields is told from its header" || not_ok "a Nextflow trace with its own fields is told from its header" "$out"
# sacct with SLURM_TIME_FORMAT=%s: epoch seconds.
printf 'JobID|JobName|Partition|NodeList|Start|End|State|ExitCode\n11|a|p|n1|1768467660|1768467720|COMPLETED|0:0\n' > "$work/sacct-epoch.txt"
out=$("$bin" stats -f csv "$work/sacct-epoch.txt" | cut -d, -f1-4 | tail -1)
[ "$out" = "p,1,1,60.000000000" ] && ok "sacct times as epoch seconds" || not_ok "sacct times as epoch seconds" "$out"
# Older sacct: a job cancelled while pending has Start = End and no node: never started.
printf 'JobID|JobName|Partition|NodeList|Submit|Start|End|State|ExitCode\n1|a|p|n1|2026-01-15T10:00:00|2026-01-15T10:00:00|2026-01-15T10:10:00|COMPLETED|0:0\n2|b|p|None assigned|2026-01-15T10:00:00|2026-01-15T10:05:00|2026-01-15T10:05:00|CANCELLED by 0|0:0\n' > "$work/sacct-old.txt"
out=$("$bin" stats -f csv "$work/sacct-old.txt" | cut -d, -f1-3 | tail -1; "$bin" stats "$work/sacct-old.txt" | grep -c 'never started')
[ "$out" = "p,1,1
1" ] && ok "sacct: cancelled while pending, no node: not drawn, counted" || not_ok "sacct: cancelled while pending, no node: not drawn, counted" "$out"
# A Nextflow task started and not complete is unfinished, to the end of its process.
printf 'task_id\thash\tname\tstatus\texit\tsubmit\tstart\tcomplete\tduration\trealtime\n1\t00/a\tP (1)\tCOMPLETED\t0\t2026-01-15 10:00:00.000\t2026-01-15 10:00:00.000\t2026-01-15 10:01:00.000\t1m\t1m\n2\t00/b\tP (2)\tRUNNING\t-\t2026-01-15 10:00:10.000\t2026-01-15 10:00:20.000\t-\t-\t-\n' > "$work/nf-running.txt"
out=$("$bin" stats -f csv "$work/nf-running.txt" | cut -d, -f1,2,4,5 | tail -1; "$bin" stats "$work/nf-running.txt" | grep -c '^unfinished')
[ "$out" = "P,2,60.000000000,100.000000000
1" ] && ok "Nextflow: a RUNNING task with a start is unfinished" || not_ok "Nextflow: a RUNNING task with a start is unfinished" "$out"
# A Gantt chart of samples: each job from its first sample to its last.
printf 'job,time,worker\n1,0,a\n1,0.5,a\n1,1,a\n2,0.2,b\n2,0.9,b\n' > "$work/samples.csv"
out=$(COLUMNS=40 "$bin" render "$work/samples.csv" --kind gantt -T txt --ascii)
[ "$out" = "wall 1.00 s
job 1 |################################+
job 2 |      #######################+
      +---------------------------------
       0.0             0.5             1.0 s" ] && ok "--kind gantt draws samples' jobs first to last sample" || not_ok "--kind gantt draws samples' jobs first to last sample" "$out"
"$bin" render "$work/samples.csv" --kind gantt -o "$work/samples-gantt.pdf"
out=$(pdftotext "$work/samples-gantt.pdf" - | grep -c '^job [12]$')
[ "$out" = 2 ] && ok "--kind gantt of samples draws a row per job" || not_ok "--kind gantt of samples draws a row per job" "$out"
out=$(COLUMNS=72 "$bin" render "$work/long.csv" -T txt | sed -n 2,3p | cut -d' ' -f1)
[ "$out" = "https:/"$'\xe2\x80\xa6'"ms/42/thumbnails
https:/"$'\xe2\x80\xa6'"ms/43/thumbnails" ] && ok "text preview: long labels cut in the middle" \
  || not_ok "text preview: long labels cut in the middle" "$out"
# A Chrome trace's rows are its threads, as in the image.
out=$(COLUMNS=80 "$bin" render good/clang-ftime-trace.json -T txt --ascii | sed -n 1,3p | cut -c1-7 | sed 's/ *$//')
[ "$out" = "clang
clang |
      |" ] && ok "text preview: a Chrome trace's rows per thread and depth" \
  || not_ok "text preview: a Chrome trace's rows per thread and depth" "$out"

# Several inputs, aligned at their starts or at their absolute times.
al=$(mktemp -d)
printf 'start,stop\n1700000000,1700000001\n' > "$al/a.csv"
printf 'start,stop\n1700000001.5,1700000002\n' > "$al/b.csv"
printf 'start,stop\n0,1\n' > "$al/c.csv"
first_mark() { sed -n 4p | sed 's/^[^|]*|//' | awk '{ print index($0, "#") + index($0, "+") }'; }
s=$(COLUMNS=60 "$bin" render "$al/a.csv" "$al/b.csv" -T txt --ascii | first_mark)
a=$(COLUMNS=60 "$bin" render "$al/a.csv" "$al/b.csv" -T txt --ascii --align absolute | first_mark)
[ "$s" -le 2 ] && [ "$a" -ge 35 ] && ok "--align start vs absolute ($s, $a)" || not_ok "--align start vs absolute" "$s $a"
check "--align absolute needs absolute times" 1 - "timeline: $al/c.csv: no absolute time to align by (epoch times or beginningOfTime); use --align start" -- "$bin" render "$al/a.csv" "$al/c.csv" -o "$al/x.png" --align absolute
rm -rf "$al"

# ---- demo ----
dd=$(mktemp -d)
if ! native; then
  skip "demo runs" "under $TL_WRAP"
elif "$bin" demo -o "$dd/out" > "$dd/stdout" 2> "$dd/stderr"; then
  ok "demo runs"
  [ "$(grep -c '^## ' "$dd/out/report.md")" = 6 ] && ok "report.md has the six experiments" || not_ok "report.md has the six experiments" "$(head -20 "$dd/out/report.md")"
  [ "$(grep -o '<svg' "$dd/out/report.html" | wc -l)" = 6 ] && ok "report.html inlines six charts" || not_ok "report.html inlines six charts"
  n_png=0
  for e in api io cpu cpu-gil dot tracker; do
    csv=$dd/out/$e.csv
    [ $e = tracker ] && csv=$csv.zst
    [ "$(head -c 4 "$dd/out/$e.png" | od -An -c | tr -d ' ')" = "211PNG" ] && [ -s "$csv" ] \
      && "$bin" stats "$csv" >/dev/null && n_png=$((n_png + 1))
  done
  [ $n_png = 6 ] && ok "demo charts and CSVs" || not_ok "demo charts and CSVs" "$(ls "$dd/out")"
  size=$(stat -c %s "$dd/out/tracker.csv.zst")
  [ "$size" -lt 50000000 ] && ok "demo tracker data under 50 MB ($size bytes)" || not_ok "demo tracker data under 50 MB" "$size bytes"
  grep -q 'Fastest here: ' "$dd/out/report.md" && grep -q 'times\? faster\|× faster\|× the speed' "$dd/out/report.md" \
    && ok "conclusions computed from the numbers" || not_ok "conclusions computed from the numbers"
else
  not_ok "demo runs" "$(tail -3 "$dd/stderr")"
fi
# The reports appear whole or not at all.
mkdir -p "$dd/f/report.md"
check "demo refuses a folder at the report's name" 1 - "timeline: $dd/f/report.md: is a directory" -- "$bin" demo -o "$dd/f"
[ "$(ls -A "$dd/f")" = report.md ] && ok "refused demo writes nothing" || not_ok "refused demo writes nothing" "$(ls -A "$dd/f")"
# Stopped as it opens its third output (the first experiment's CSV, after
# both reports), the demo is provably mid-run with reports pending.
if native && [ -n "$holdlib" ]; then
  held fdopen 2 "$bin" demo -o "$dd/t" >/dev/null 2>&1
  pending=$(ls -A "$dd/t" 2>/dev/null | grep -c '^\.timeline-')
  [ -n "$tmp" ] && kill -TERM $pid
  finish $pid
  left=$(ls -A "$dd/t" | grep '^report\|^\.timeline-')
  [ -n "$tmp" ] && [ "$pending" = 3 ] && [ $rc = 143 ] && [ -z "$left" ] && ok "SIGTERM mid-demo leaves no partial report" \
    || not_ok "SIGTERM mid-demo leaves no partial report" "held at '$tmp' with $pending temporary files; rc=$rc left: $left"
else
  skip "SIGTERM mid-demo leaves no partial report" "${TL_WRAP:-no libhold.so given}"
fi
rm -rf "$dd"

# ---- convert ----
cv=$(mktemp -d)
check "convert csv to chrome" 0 - "" -- "$bin" convert good/modes.csv -o "$cv/modes.json"
check "convert chrome to csv" 0 - "" -- "$bin" convert "$cv/modes.json" -o "$cv/back.csv"
"$bin" convert good/modes.csv -o "$cv/direct.csv"
[ "$(grep -v '^#' "$cv/back.csv")" = "$(grep -v '^#' "$cv/direct.csv")" ] && ok "CSV -> JSON -> CSV keeps every span" \
  || not_ok "CSV -> JSON -> CSV keeps every span" "$(diff "$cv/back.csv" "$cv/direct.csv" | head -5)"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['traceEvents']" "$cv/modes.json" 2>"$work/err" \
  && ok "written Chrome JSON parses" || not_ok "written Chrome JSON parses" "$(cat "$work/err")"
"$bin" convert good/parallel-joblog.txt -o "$cv/joblog.json" && [ "$("$bin" stats -f csv "$cv/joblog.json")" = "$(cat good/parallel-joblog.stats.csv)" ] \
  && ok "joblog -> JSON keeps the stats" || not_ok "joblog -> JSON keeps the stats" "$("$bin" stats -f csv "$cv/joblog.json")"
check "convert needs -o" 2 - "timeline: convert: no output given (-o FILE) (try 'timeline help convert')" -- "$bin" convert good/modes.csv
check "convert unknown extension" 2 - "timeline: convert: cannot tell the format from '$cv/x.txt': name it .csv or .json, or give --format (try 'timeline help convert')" -- "$bin" convert good/modes.csv -o "$cv/x.txt"
cp good/modes.csv "$cv/same.csv"
check "convert refuses to overwrite its input" 1 - "timeline: $cv/same.csv: refusing to overwrite the input $cv/same.csv" -- "$bin" convert "$cv/same.csv" -o "$cv/same.csv"
check "run --format chrome" 0 - "" -- "$bin" run --workload sleep --latency 20 --jobs 3 --workers 2 --format chrome -o "$cv/run.json"
# Which workers got the jobs is the scheduler's business: jobs only.
[ "$("$bin" stats -f csv "$cv/run.json" | cut -d, -f1-2 | tr '\n' ' ')" = "group,jobs threads,3 processes,3 " ] \
  && ok "run --format chrome reads back" || not_ok "run --format chrome reads back" "$("$bin" stats -f csv "$cv/run.json")"
rm -rf "$cv"

# Usage and help.
check "version" 0 - "" -- "$bin" --version
out=$("$bin" --version)
[ "$out" = "timeline $(sed -n "s/^  version : '\(.*\)',$/\1/p" "$tests/../meson.build")" ] \
  && ok "version matches meson.build" || not_ok "version matches meson.build" "$out"
check "help" 0 - "" -- "$bin" --help
"$bin" --help | grep -q '^  stats ' && ok "help lists stats" || not_ok "help lists stats"
check "help stats" 0 - "" -- "$bin" help stats
"$bin" help stats | grep -q -- '--format table|csv' && ok "help stats shows options" || not_ok "help stats shows options"
check "stats --help" 0 - "" -- "$bin" stats --help
check "no subcommand" 2 - "timeline: no subcommand given (try 'timeline --help')" -- "$bin"
check "unknown subcommand" 2 - "timeline: unknown subcommand 'frobnicate' (try 'timeline --help')" -- "$bin" frobnicate
check "unknown global option" 2 - "timeline: unknown option '--frob' (try 'timeline --help')" -- "$bin" --frob
check "unknown stats option" 2 - "timeline: stats: unknown option '--bogus' (try 'timeline help stats')" -- "$bin" stats --bogus good/minimal.csv
# A slip of a key or two in a subcommand or a long option is answered with the name meant.
check "subcommand: did you mean" 2 - "timeline: unknown subcommand 'rendr' (did you mean 'render'?)" -- "$bin" rendr good/minimal.csv
check "subcommand: swapped letters" 2 - "timeline: unknown subcommand 'stast' (did you mean 'stats'?)" -- "$bin" stast good/minimal.csv
check "help: did you mean" 2 - "timeline: help: unknown subcommand 'fromats' (did you mean 'formats'?)" -- "$bin" help fromats
check "no suggestion two edits from a short word" 2 - "timeline: demo: unknown option '--quiet' (try 'timeline help demo')" -- "$bin" demo --quiet
check "help: nothing close" 2 - "timeline: help: unknown subcommand 'plot' (try 'timeline help help')" -- "$bin" help plot
check "option: did you mean" 2 - "timeline: render: unknown option '--widht' (did you mean '--width'?)" -- "$bin" render --widht 300 good/minimal.csv
check "option=value: did you mean" 2 - "timeline: render: unknown option '--colour-by' (did you mean '--color-by'?)" -- "$bin" render --colour-by=job good/minimal.csv
check "shared input option: did you mean" 2 - "timeline: convert: unknown option '--input-fromat' (did you mean '--input-format'?)" -- "$bin" convert --input-fromat csv good/minimal.csv -o "$work/x.csv"
check "run option: did you mean" 2 - "timeline: run: unknown option '--wrokers' (did you mean '--workers'?)" -- "$bin" run --wrokers 2
check "global option: did you mean" 2 - "timeline: unknown option '--verison' (did you mean '--version'?)" -- "$bin" --verison
check "option: too far to guess" 2 - "timeline: render: unknown option '--size' (try 'timeline help render')" -- "$bin" render --size 3 good/minimal.csv
# Bad values list the words the library reads, every format for -I in every command.
check "convert: bad input format" 2 - "timeline: convert: invalid input-format 'json' (auto, csv, joblog, chrome, hyperfine, slurm, nextflow, spark, records or ninja) (try 'timeline help convert')" -- "$bin" convert -I json good/minimal.csv -o "$work/x.csv"
check "render: bad kind" 2 - "timeline: render: invalid kind 'bars' (auto, gantt or scatter) (try 'timeline help render')" -- "$bin" render --kind bars good/minimal.csv
check "render: bad color-by" 2 - "timeline: render: invalid color-by 'mode' (worker, job, status, group or none) (try 'timeline help render')" -- "$bin" render --color-by mode good/minimal.csv
check "render: bad panels" 2 - "timeline: render: invalid panels 'two' (auto, group or one) (try 'timeline help render')" -- "$bin" render --panels two good/minimal.csv
check "run: bad format" 2 - "timeline: run: invalid format 'tsv' (csv or chrome) (try 'timeline help run')" -- "$bin" run --format tsv
for cmd in stats render convert; do
  "$bin" help $cmd | grep -q 'hyperfine|slurm' && ok "help $cmd lists every input format" || not_ok "help $cmd lists every input format"
done
# The help made from the option tables fits 80 columns, each option on a line of its own.
for cmd in stats render convert run demo; do
  w=$("$bin" help $cmd | wc -L)
  [ "$w" -le 79 ] && ok "help $cmd fits 80 columns" || not_ok "help $cmd fits 80 columns" "widest line: $w"
done
[ "$("$bin" help render | grep -c '^      --width PX  *canvas width')" = 1 ] && ok "help render: an option and its help on one line" || not_ok "help render: an option and its help on one line"
check "unknown short option" 2 - "timeline: stats: unknown option '-z' (try 'timeline help stats')" -- "$bin" stats -z good/minimal.csv
check "option needs value" 2 - "timeline: stats: option '--format' needs a value (try 'timeline help stats')" -- "$bin" stats good/minimal.csv --format
check "bad format value" 2 - "timeline: stats: invalid format 'xml' (table or csv) (try 'timeline help stats')" -- "$bin" stats --format xml good/minimal.csv
check "bad unit value" 2 - "timeline: stats: invalid time-unit 'min' (s, ms, us or ns) (try 'timeline help stats')" -- "$bin" stats --unit min good/minimal.csv
check "help takes no value" 2 - "timeline: stats: option '--help' takes no value (try 'timeline help stats')" -- "$bin" stats --help=1
check "no input" 2 - "timeline: stats: no input file given (try 'timeline help stats')" -- "$bin" stats
check "help unknown" 2 - "timeline: help: unknown subcommand 'nope' (try 'timeline help help')" -- "$bin" help nope
check "missing file" 1 - "timeline: nope.csv: cannot open: No such file or directory" -- "$bin" stats nope.csv
check "directory" 1 - "timeline: good: is a directory" -- "$bin" stats good

# Standard input, and the unit option.
out=$("$bin" stats --format csv - < good/minimal.csv)
[ "$out" = "$(cat good/minimal.stats.csv)" ] && ok "stats from stdin" || not_ok "stats from stdin" "$out"
out=$(printf 'start,stop\n0,1500\n' | "$bin" stats -f csv --unit ms -)
[ "$out" = "$(printf 'group,jobs,workers,wall,busy,concurrency,speedup,lanes\n,1,1,1.500000000,1.500000000,1.000000000,,1')" ] \
  && ok "unit option" || not_ok "unit option" "$out"
out=$(printf 'start,stop\n0,1\n' | "$bin" stats -f csv -u ns -)
case $out in *",1,1,0.000000001,0.000000001,"*) ok "unit ns" ;; *) not_ok "unit ns" "$out" ;; esac

# Several files: one row per group, named after the file; speedups against
# one reference for all, as render's: no group is called serial, so the first.
out=$("$bin" stats -f csv good/minimal.csv good/modes.csv)
want=$(printf '%s\n' "group,jobs,workers,wall,busy,concurrency,speedup,lanes" \
  "minimal,3,2,2.500000000,4.000000000,1.600000000,1.000000000,1" \
  "modes:serial,4,1,8.000000000,8.000000000,1.000000000,0.312500000,0" \
  "modes:threads,4,4,8.200000000,20.500000000,2.500000000,0.304878049,0" \
  "modes:processes,4,4,2.100000000,8.000000000,3.809523810,1.190476190,0")
[ "$out" = "$want" ] && ok "several files" || not_ok "several files" "$out"

# A second bad file stops the command with its error, nothing on stdout.
out=$("$bin" stats good/minimal.csv bad/stop-before-start.csv 2>/dev/null); rc=$?
[ $rc = 1 ] && [ -z "$out" ] && ok "bad second file prints nothing" || not_ok "bad second file prints nothing" "rc=$rc out=$out"

# Output to a closed or full stdout is an error, not silence.
if [ -w /dev/full ]; then
  "$bin" stats good/minimal.csv > /dev/full 2>"$work/err"; rc=$?
  [ $rc = 1 ] && grep -q "cannot write" "$work/err" && ok "stdout full" || not_ok "stdout full" "rc=$rc $(cat "$work/err")"
fi

# ---- render ----
r=$work/render
mkdir -p "$r"
cp good/modes.csv "$r/modes.csv"
check "render png" 0 - "" -- "$bin" render "$r/modes.csv"
[ "$(head -c 4 "$r/modes.png" | od -An -c | tr -d ' ')" = "211PNG" ] && ok "default output is modes.png" || not_ok "default output is modes.png"
check "render svg" 0 - "" -- "$bin" render "$r/modes.csv" -o "$r/modes.svg"
check "render pdf" 0 - "" -- "$bin" render "$r/modes.csv" -o "$r/modes.pdf"
if command -v xmllint >/dev/null; then
  xmllint --noout "$r/modes.svg" 2>"$work/err" && ok "svg is well-formed" || not_ok "svg is well-formed" "$(head -3 "$work/err")"
else
  not_ok "svg is well-formed" "xmllint is not installed"
fi
if [ -n "$pngdiff" ] && command -v rsvg-convert >/dev/null && command -v pdftoppm >/dev/null; then
  rsvg-convert "$r/modes.svg" -o "$r/from-svg.png"
  out=$("$pngdiff" "$r/modes.png" "$r/from-svg.png" 4 0.03) && ok "svg draws what png draws ($out)" || not_ok "svg draws what png draws" "$out"
  pdftoppm -r 100 -png -singlefile "$r/modes.pdf" "$r/from-pdf"
  out=$("$pngdiff" "$r/modes.png" "$r/from-pdf.png" 4 0.03) && ok "pdf draws what png draws ($out)" || not_ok "pdf draws what png draws" "$out"
else
  not_ok "backends compared" "pngdiff, rsvg-convert or pdftoppm missing"
fi
for fmt in png svg pdf; do
  "$bin" render "$r/modes.csv" -o "$r/again.$fmt" && cmp -s "$r/again.$fmt" "$r/modes.$fmt" \
    && ok "$fmt identical across runs" || not_ok "$fmt identical across runs"
done
"$bin" render "$r/modes.csv" -T png -o - > "$r/stdout.png" 2>"$work/err" && cmp -s "$r/stdout.png" "$r/modes.png" \
  && ok "render to stdout" || not_ok "render to stdout" "$(cat "$work/err")"
check "render samples" 0 - "" -- "$bin" render good/tracker.csv -o "$r/tracker.png"
check "render both inputs" 0 - "" -- "$bin" render good/modes.csv good/minimal.csv -o "$r/two.png" --cols 3 --theme dark --rows worker --color-by status --sort duration --title "x" --xlabel s --ylabel jobs --xlim 0:5 --no-shared-x --dpi 120 --scale 2 --width 1400 --height 700
check "render span labels" 0 - "" -- "$bin" render good/modes.csv -o "$r/labels.png" --span-labels all --rows worker

# Bad render options: exit 2 (usage) or 1 (I/O), one line, no file left.
before=$(ls "$r" | sort)
check "render width 0" 2 - "timeline: render: invalid width '0' (1 to 20000 pixels) (try 'timeline help render')" -- "$bin" render good/modes.csv -o "$r/bad.png" --width 0
# Numbers are decimal, as run reads them: --dpi 0x64 is not 100.
check "render dpi in hex" 2 - "timeline: render: invalid dpi '0x64' (10 to 2400) (try 'timeline help render')" -- "$bin" render good/modes.csv -o "$r/bad.png" --dpi 0x64
check "render xlim backwards" 2 - "timeline: render: invalid xlim '5:1' (the end must be after the start) (try 'timeline help render')" -- "$bin" render good/modes.csv -o "$r/bad.png" --xlim 5:1
check "render xlim syntax" 2 - "timeline: render: invalid xlim 'soon' (START:END in seconds or with units, like 0:2.5, 0:20ms or 1h:2h 30min) (try 'timeline help render')" -- "$bin" render good/modes.csv -o "$r/bad.png" --xlim soon
check "render xlim holding no data" 2 - "timeline: render: --xlim 1 h:2 h holds none of the data, which runs from 0 s to 8.20 s (try 'timeline help render')" -- "$bin" render good/modes.csv -o "$r/bad.png" --xlim 1h:2h
check "render span labels value" 2 - "timeline: render: invalid span-labels 'some' (auto, none or all) (try 'timeline help render')" -- "$bin" render good/modes.csv -o "$r/bad.png" --span-labels some
check "render unknown format" 2 - "timeline: render: invalid format 'gif' (png, svg, pdf or txt) (try 'timeline help render')" -- "$bin" render good/modes.csv -T gif -o "$r/bad.gif"
check "render unknown extension" 2 - "timeline: render: cannot tell the format from '$r/bad.gif': name it .png, .svg or .pdf, or give --format (try 'timeline help render')" -- "$bin" render good/modes.csv -o "$r/bad.gif"
check "render format mismatch" 2 - "timeline: render: '$r/bad.svg' names a svg file but --format is png (try 'timeline help render')" -- "$bin" render good/modes.csv -T png -o "$r/bad.svg"
check "render stdout needs format" 2 - "timeline: render: writing to standard output needs --format (try 'timeline help render')" -- "$bin" render good/modes.csv -o -
check "render stdin needs output" 2 - "timeline: render: reading standard input needs -o OUTPUT (try 'timeline help render')" -- "$bin" render -
check "render no input" 2 - "timeline: render: no input file given (try 'timeline help render')" -- "$bin" render
check "render unwritable folder" 1 - "timeline: $r/missing/out.png: cannot create a file in $r/missing: No such file or directory" -- "$bin" render good/modes.csv -o "$r/missing/out.png"
check "render too small" 2 - "timeline: render: the canvas is too small for the labels: the plot area would be 0×0 px; give a larger --width or --height (try 'timeline help render')" -- "$bin" render good/modes.csv -o "$r/bad.png" --width 60 --height 40
check "render bad input" 1 - "timeline: bad/nan.csv:2:3: missing stop time" -- "$bin" render --strict bad/nan.csv -o "$r/bad.png"
check "render nothing to draw" 1 - "timeline: good/modes.csv: nothing to draw: the input has no samples for a scatter chart" -- "$bin" render good/modes.csv -o "$r/bad.png" --kind scatter
cp good/minimal.csv "$r/trace.png"
check "render refuses to overwrite input" 1 - "timeline: $r/trace.png: refusing to overwrite the input $r/trace.png" -- "$bin" render "$r/trace.png"
[ "$(ls "$r" | sort)" = "$(printf '%s\n' $before trace.png | sort)" ] && ok "failed renders leave no file" || not_ok "failed renders leave no file" "$(ls -a "$r")"
ls -a "$r" | grep -q '^\.timeline-' && not_ok "no temporary file left" || ok "no temporary file left"

# Interrupted runs (docs/csv-format.md): charts and previews say so, even
# with no job completed; an input that is merely empty has nothing to draw.
check "render a header-only CSV" 1 - "timeline: good/header-only.csv: nothing to draw: the input has no spans or samples" -- "$bin" render good/header-only.csv -o "$r/none.png"
[ ! -e "$r/none.png" ] && ok "header-only CSV: no chart written" || not_ok "header-only CSV: no chart written"
check "text preview of a header-only CSV" 1 - "timeline: good/header-only.csv: nothing to draw: the input has no spans or samples" -- "$bin" render good/header-only.csv -T txt
for fmt in png svg pdf; do
  check "render an interrupted run with no job completed ($fmt)" 0 - "" -- "$bin" render good/interrupted-none.csv -o "$r/stopped.$fmt"
done
[ "$(head -c 4 "$r/stopped.png" | od -An -c | tr -d ' ')" = "211PNG" ] && ok "interrupted run: a PNG" || not_ok "interrupted run: a PNG"
out=$("$bin" render good/interrupted-none.csv -T txt --ascii)
[ "$out" = "$(printf 'interrupted: 0 of 8 jobs completed\nno job completed')" ] && ok "interrupted run: the preview says no job completed" \
  || not_ok "interrupted run: the preview says no job completed" "$out"
out=$(COLUMNS=60 "$bin" render good/interrupted-partial.csv -T txt --ascii | head -2)
[ "$out" = "$(printf 'interrupted: 5 of 12 jobs completed\nserial  wall 300 ms - reference')" ] && ok "interrupted run: the preview says so first" \
  || not_ok "interrupted run: the preview says so first" "$out"
check "render an interrupted run" 0 - "" -- "$bin" render good/interrupted-partial.csv -o "$r/partial.png"
out=$("$bin" render good/interrupted-partial.csv -T txt --ascii | grep -c 'no job completed')
[ "$out" = 1 ] && ok "interrupted run: a declared group without jobs says so" || not_ok "interrupted run: a declared group without jobs says so" "$out"
"$bin" convert good/interrupted-none.csv -o "$r/stopped.json" && "$bin" convert "$r/stopped.json" -o "$r/stopped.csv" \
  && cmp -s good/interrupted-none.csv "$r/stopped.csv" && ok "interrupted run, nothing completed: CSV -> JSON -> CSV, same bytes" \
  || not_ok "interrupted run, nothing completed: CSV -> JSON -> CSV, same bytes" "$(cat "$r/stopped.csv")"

# Interrupted while the image is being written (stopped by tests/hold.c as
# it closes the temporary file, part of the image in it): the temporary
# file goes too. Every moment and signal: tests/cli/hostile.sh.
mkdir -p "$r/int"
if native && [ -n "$holdlib" ]; then
  held fclose 0 "$bin" render good/tracker.csv -o "$r/int/out.svg" 2>/dev/null
  size=$(stat -c %s "$tmp" 2>/dev/null)
  [ -n "$tmp" ] && kill -TERM $pid
  finish $pid
  [ -n "$tmp" ] && [ "${size:-0}" -gt 0 ] && [ $rc = 143 ] && [ -z "$(ls -A "$r/int")" ] && ok "SIGTERM mid-render leaves no file" \
    || not_ok "SIGTERM mid-render leaves no file" "held at '$tmp' ($size bytes written); rc=$rc left: $(ls -A "$r/int")"
else
  skip "SIGTERM mid-render leaves no file" "${TL_WRAP:-no libhold.so given}"
fi

# ---- run ----
u=$work/run
mkdir -p "$u"
check "run sleep" 0 - "" -- "$bin" run --workload sleep --latency 150 --jobs 4 --workers 2 --modes serial,threads,processes -o "$u/sleep.csv"
out=$("$bin" stats -f csv "$u/sleep.csv")
# How many of the 2 workers got a job depends on the scheduler: 1 or 2.
[ "$(echo "$out" | cut -d, -f1,2,3 | sed 's/,[12]$/,W/' | tr '\n' ' ')" = "group,jobs,workers serial,4,W threads,4,W processes,4,W " ] \
  && ok "run CSV reads back" || not_ok "run CSV reads back" "$out"
check "run track with plot" 0 - "" -- "$bin" run --workload track -n 20000 --jobs 4 --workers 4 --gil -o "$u/track.csv" --plot "$u/track.png"
[ "$(head -c 4 "$u/track.png" | od -An -c | tr -d ' ')" = "211PNG" ] && ok "run --plot draws" || not_ok "run --plot draws"
[ "$(grep -c '^sample,' "$u/track.csv")" = 160000 ] && ok "run track sample count" || not_ok "run track sample count" "$(grep -c '^sample,' "$u/track.csv")"
check "run failing jobs" 3 - "timeline: run: 2 jobs failed" -- "$bin" run --modes threads --jobs 4 --workers 2 -o "$u/exec.csv" -- sh -c 'exit $(({} % 2))'
grep -qF ",1,sh -c 'exit \$((1 % 2))'" "$u/exec.csv" && ok "run records exit codes, commands as labels" \
  || not_ok "run records exit codes, commands as labels" "$(cat "$u/exec.csv")"
check "run workers 0" 2 - "timeline: run: invalid workers '0' (1 to 4096) (try 'timeline help run')" -- "$bin" run --workers 0
check "run jobs 0" 2 - "timeline: run: invalid jobs '0' (1 to 10000000) (try 'timeline help run')" -- "$bin" run --jobs 0
check "run unknown workload" 2 - "timeline: run: invalid workload 'gpu' (cpu, io, sleep, dot, track or exec) (try 'timeline help run')" -- "$bin" run --workload gpu
check "run too many samples" 2 - "*" -- "$bin" run --workload track -n 100000000000000 --jobs 1000 -o "$u/never.csv"
[ ! -e "$u/never.csv" ] && ok "refused run writes nothing" || not_ok "refused run writes nothing"
# Interrupts. Every wait is on an event the runner wrote (TIMELINE_EVENTS):
# the signal lands where the test says, however loaded the machine.
# Background jobs start with SIGINT ignored; timeline installs its own
# handler, which valgrind's signal emulation does not let through in time.
source "$tests/cli/wait.sh"
if native; then
  ev=$work/int.events
  set -m # a job of its own, SIGINT not ignored
  TIMELINE_EVENTS=$ev env --default-signal=INT "$bin" run --workload sleep --latency 30 --jobs 1000 --workers 1 --modes threads -o "$u/int.csv" >/dev/null 2>"$work/err" &
  set +m
  pid=$!
  wait_lines "$ev" '^stop threads 0 0 0$' 1
  kill -INT $pid
  wait $pid; rc=$?
  done_jobs=$("$bin" stats -f csv "$u/int.csv" 2>&1 | sed -n 2p | cut -d, -f2)
  [ $rc = 130 ] && [ -n "$done_jobs" ] && [ "$done_jobs" -ge 1 ] && [ "$done_jobs" -lt 1000 ] \
    && grep -qx "# interrupted: $done_jobs of 1000 jobs completed" "$u/int.csv" \
    && [ "$(cat "$work/err")" = "timeline: run: interrupted; $done_jobs of 1000 jobs completed, written to $u/int.csv" ] \
    && ok "SIGINT writes completed jobs ($done_jobs), marked interrupted, exit 130" \
    || not_ok "SIGINT writes completed jobs, exit 130" "rc=$rc jobs=$done_jobs $(cat "$work/err")"

  # Interrupted before any job finished, with a chart: exit 130, one line,
  # no temporary file, a CSV that stats reads, a chart that says so.
  for mode in threads processes; do
    d=$work/int-$mode
    mkdir -p "$d"
    set -m # a job of its own, SIGINT not ignored
    TIMELINE_EVENTS=$d/events env --default-signal=INT "$bin" run --workload sleep --latency 600000 --jobs 4 --workers 2 --modes $mode -o "$d/r.csv" --plot "$d/r.png" >/dev/null 2>"$d/err" &
    set +m
    pid=$!
    wait_lines "$d/events" "^start $mode " 2
    kill -INT $pid
    wait $pid; rc=$?
    left=$(ls -A "$d" | grep '^\.timeline-')
    "$bin" stats "$d/r.csv" >"$d/stats" 2>&1; src=$?
    [ $rc = 130 ] && [ -z "$left" ] && [ $src = 0 ] \
      && [ "$(cat "$d/err")" = "timeline: run: interrupted; 0 of 4 jobs completed, written to $d/r.csv" ] \
      && [ "$(head -c 4 "$d/r.png" | od -An -c | tr -d ' ')" = 211PNG ] \
      && ok "$mode: SIGINT before any job finished: exit 130, a readable CSV and chart, no temporary file" \
      || not_ok "$mode: SIGINT before any job finished" "rc=$rc stats rc=$src left: $left" "$(cat "$d/err")" "$(head -5 "$d/stats")"
  done

  # Ctrl-C reaches the whole process group: workers die of SIGINT too. Their
  # jobs are interrupted, never failed. (set -m: the run gets a process group
  # of its own; env --default-signal: SIGINT not ignored, however this script
  # was started.)
  for mode in threads processes; do
    for w in sleep exec; do
      d=$work/pg-$mode-$w
      mkdir -p "$d"
      set -m
      if [ $w = sleep ]; then
        TIMELINE_EVENTS=$d/events env --default-signal=INT "$bin" run --workload sleep --latency 600000 --jobs 4 --workers 2 --modes $mode -o "$d/r.csv" >/dev/null 2>"$d/err" &
      else
        TIMELINE_EVENTS=$d/events env --default-signal=INT "$bin" run --modes $mode --jobs 4 --workers 2 -o "$d/r.csv" -- sh -c 'exec sleep 600' >/dev/null 2>"$d/err" &
      fi
      pid=$!
      set +m
      wait_lines "$d/events" "^start $mode " 2
      kill -INT -- -$pid
      wait $pid; rc=$?
      spans=$(grep -c '^span,' "$d/r.csv")
      [ $rc = 130 ] && [ "$spans" = 0 ] && grep -qx '# interrupted: 0 of 4 jobs completed' "$d/r.csv" \
        && ok "$mode, $w: Ctrl-C to the process group interrupts jobs, fails none" \
        || not_ok "$mode, $w: Ctrl-C to the process group" "rc=$rc spans=$spans" "$(cat "$d/err")" "$(grep -v '^#' "$d/r.csv" | head -3)"
    done
  done

  # Started with SIGHUP ignored (nohup), a hangup does not stop the run.
  ev=$work/nohup.events
  (trap '' HUP; TIMELINE_EVENTS=$ev exec "$bin" run --workload sleep --latency 300 --jobs 2 --workers 2 --modes threads -o "$u/nohup.csv" >/dev/null 2>"$work/err") &
  pid=$!
  wait_lines "$ev" '^start threads ' 2
  kill -HUP $pid
  wait $pid; rc=$?
  [ $rc = 0 ] && [ "$(grep -c '^span,' "$u/nohup.csv")" = 2 ] && ! grep -q '^# interrupted' "$u/nohup.csv" \
    && ok "SIGHUP ignored at start stays ignored: the run completes" \
    || not_ok "SIGHUP ignored at start stays ignored" "rc=$rc $(cat "$work/err")"

  # INT, TERM and HUP at several moments of a run leave no temporary file:
  # while workers start, once a job has completed, once the last pool is done.
  bad=
  for sig in INT TERM HUP; do
    for moment in '^ready processes ' '^stop processes 0 ' '^done processes$'; do
      d=$work/sig-$sig-${#moment}
      mkdir -p "$d"
      set -m # a job of its own, SIGINT not ignored
      TIMELINE_EVENTS=$d/events env --default-signal=INT "$bin" run --workload sleep --latency 50 --jobs 4 --workers 2 -o "$d/r.csv" --plot "$d/r.svg" >/dev/null 2>"$d/err" &
      set +m
      pid=$!
      wait_lines "$d/events" "$moment" 1 || bad="$bad [$sig $moment: no event]"
      kill -$sig $pid
      wait $pid; rc=$?
      left=$(ls -A "$d" | grep '^\.timeline-')
      { [ $rc = 0 ] || [ $rc = 130 ]; } && [ -z "$left" ] && "$bin" stats "$d/r.csv" >/dev/null 2>&1 \
        || bad="$bad [$sig $moment: rc=$rc left=$left $(cat "$d/err")]"
    done
  done
  [ -z "$bad" ] && ok "INT, TERM, HUP at any moment of a run: no temporary file, a readable CSV" \
    || not_ok "signals during a run" "$bad"
else
  skip "SIGINT writes completed jobs, exit 130" "under $TL_WRAP"
fi
# Options that do not apply, sizes, compression, titles, exec's defaults.
check "run --latency with cpu" 2 - "timeline: run: --latency does not apply to the cpu workload: it is for sleep (try 'timeline help run')" -- "$bin" run --latency 5 -o "$u/never.csv"
check "run -n with sleep" 2 - "timeline: run: -n does not apply to the sleep workload: it is for cpu, dot and track (try 'timeline help run')" -- "$bin" run --workload sleep -n 5 -o "$u/never.csv"
check "run --size with exec" 2 - "timeline: run: --size does not apply to the exec workload: it is for io (try 'timeline help run')" -- "$bin" run --size 5 -o "$u/never.csv" -- true
check "run --gil without threads" 2 - "timeline: run: --gil applies to the threads mode, which --modes leaves out (try 'timeline help run')" -- "$bin" run --gil --modes processes -o "$u/never.csv"
check "run refuses gigabytes of samples" 2 - "timeline: run: 800000000 samples would make about 27.2 GB of $u/never.csv: name it .zst to compress it, lower -n or --jobs, or give --large-output (try 'timeline help run')" -- "$bin" run --workload track -n 100000000 -o "$u/never.csv"
[ ! -e "$u/never.csv" ] && ok "refused runs write nothing" || not_ok "refused runs write nothing"
"$bin" run --workload track -n 50000 --jobs 2 --workers 2 --modes threads -o "$u/t.csv.zst" >/dev/null \
  && "$bin" run --workload track -n 50000 --jobs 2 --workers 2 --modes threads -o "$u/t.csv.gz" >/dev/null \
  && [ "$(zstd -dc "$u/t.csv.zst" | grep -c '^sample,')" = 100000 ] && [ "$(gzip -dc "$u/t.csv.gz" | grep -c '^sample,')" = 100000 ] \
  && [ "$("$bin" stats -f csv "$u/t.csv.zst" | cut -d, -f1-2)" = "$(printf 'group,jobs\nthreads,2')" ] \
  && [ "$("$bin" stats -f csv "$u/t.csv.gz" | cut -d, -f1-2)" = "$(printf 'group,jobs\nthreads,2')" ] \
  && "$bin" render "$u/t.csv.zst" -o "$u/t.png" 2>/dev/null \
  && ok "run -o .zst and .gz: compressed, and read back by stats and render" \
  || not_ok "run -o .zst and .gz" "$(zstd -dc "$u/t.csv.zst" | head -3)"
# Written by gzip and zstd themselves, concatenated members and frames too.
gzip -c good/modes.csv > "$u/m.csv.gz"; zstd -q -c good/modes.csv > "$u/m.csv.zst"
{ head -3 good/modes.csv | gzip -c; tail -n +4 good/modes.csv | gzip -c; } > "$u/m2.csv.gz"
want=$("$bin" stats -f csv good/modes.csv)
[ "$("$bin" stats -f csv "$u/m.csv.gz")" = "$want" ] && [ "$("$bin" stats -f csv "$u/m.csv.zst")" = "$want" ] \
  && [ "$("$bin" stats -f csv "$u/m2.csv.gz")" = "$want" ] && [ "$("$bin" stats -f csv - < "$u/m.csv.zst")" = "$want" ] \
  && ok "gzip and zstd input, files and stdin, as the tools write it" || not_ok "gzip and zstd input" "$("$bin" stats -f csv "$u/m2.csv.gz" 2>&1)"
# A small file that inflates past the memory limit is refused as it inflates.
{ echo 'start,stop'; head -c 300000000 /dev/zero; } | zstd -q -c > "$u/bomb.csv.zst"
check "decompression bomb" 1 - "timeline: $u/bomb.csv.zst: memory limit reached: the input decompresses to over 16 MiB (--max-memory)" -- "$bin" stats --max-memory 16M "$u/bomb.csv.zst"
head -c 1000 "$u/t.csv.gz" > "$u/cut.csv.gz"
check "truncated gzip input" 1 - "timeline: $u/cut.csv.gz: gzip data ends early: the file is truncated" -- "$bin" stats "$u/cut.csv.gz"

# ---- Compressed input of every format: gzip, zstd and xz ----
# Each input format compressed by the tools themselves, read from a file
# named to mislead (or with no extension: the codec is told by its magic
# bytes) and from standard input, gives the uncompressed file's stats.
cz=$work/packed
mkdir -p "$cz"
for f in good/modes.csv good/clang-ftime-trace.json good/parallel-joblog.txt good/hyperfine.json; do
  base=${f%.*}
  name=$(basename "$base")
  for codec in gzip zstd xz; do
    case $codec in
      gzip) z=$cz/$name ;;      # no extension
      zstd) z=$cz/$name.xz ;;   # another codec's
      xz) z=$cz/$name.csv.gz ;; # another codec's and another format's
    esac
    $codec -q -c "$f" > "$z"
    check "$codec $f from a file named ${z##*/}" 0 "$base.stats.csv" "" -- "$bin" stats --format csv "$z"
    check "$codec $f on standard input" 0 "$base.stats.csv" "" -- "$bin" stats --format csv - < "$z"
  done
done
# A compressed Chrome trace is never taken for binary text, by any command.
for codec in gzip zstd xz; do
  $codec -q -c good/clang-ftime-trace.json > "$cz/trace.json.$codec"
  out=$({ "$bin" render "$cz/trace.json.$codec" -o "$cz/trace-$codec.png" \
    && "$bin" render -o "$cz/stdin-$codec.svg" - < "$cz/trace.json.$codec" \
    && "$bin" convert "$cz/trace.json.$codec" -o "$cz/trace-$codec.csv" \
    && "$bin" convert -T csv -o - - < "$cz/trace.json.$codec" > "$cz/stdin-$codec.csv"; } 2>&1)
  [ $? = 0 ] && [ -z "$out" ] && [ -s "$cz/trace-$codec.png" ] && [ -s "$cz/stdin-$codec.svg" ] \
    && cmp -s "$cz/trace-$codec.csv" "$cz/stdin-$codec.csv" \
    && [ "$("$bin" stats -f csv "$cz/trace-$codec.csv")" = "$(cat good/clang-ftime-trace.stats.csv)" ] \
    && ok "$codec Chrome trace: render and convert, file and standard input" \
    || not_ok "$codec Chrome trace: render and convert" "$out"
done
# xz as xz(1) reads it: concatenated streams, with stream padding between.
{ head -3 good/modes.csv | xz -c; printf '\0\0\0\0'; tail -n +4 good/modes.csv | xz -c; } > "$cz/two.csv.xz"
check "xz: concatenated streams and padding" 0 good/modes.stats.csv "" -- "$bin" stats --format csv "$cz/two.csv.xz"
check "xz: concatenated streams on standard input" 0 good/modes.stats.csv "" -- "$bin" stats --format csv - < "$cz/two.csv.xz"
# Corrupt and truncated xz: one line naming the file, status 1, nothing written.
xz -c good/clang-ftime-trace.json > "$cz/whole.xz"
mkdir -p "$cz/bad"
head -c 2000 "$cz/whole.xz" > "$cz/bad/cut.json.xz"
{ head -c 1000 "$cz/whole.xz"; printf '\377'; tail -c +1002 "$cz/whole.xz"; } > "$cz/bad/flipped.json.xz"
check "truncated xz input" 1 - "timeline: $cz/bad/cut.json.xz: xz data ends early: the file is truncated" -- "$bin" stats "$cz/bad/cut.json.xz"
check "truncated xz on standard input" 1 - "timeline: <stdin>: xz data ends early: the file is truncated" -- "$bin" stats - < "$cz/bad/cut.json.xz"
check "corrupt xz input" 1 - "timeline: $cz/bad/flipped.json.xz: corrupt xz data: compressed data is corrupt" -- "$bin" stats "$cz/bad/flipped.json.xz"
check "corrupt xz: convert" 1 - "timeline: $cz/bad/flipped.json.xz: corrupt xz data: compressed data is corrupt" -- "$bin" convert "$cz/bad/flipped.json.xz" -o "$cz/bad/out.csv"
check "truncated xz: render" 1 - "timeline: $cz/bad/cut.json.xz: xz data ends early: the file is truncated" -- "$bin" render "$cz/bad/cut.json.xz" -o "$cz/bad/out.png"
[ "$(ls -A "$cz/bad")" = "$(printf 'cut.json.xz\nflipped.json.xz')" ] \
  && ok "corrupt and truncated xz leave no file behind" || not_ok "corrupt xz leaves no file" "$(ls -A "$cz/bad")"
# The memory limit holds for xz: its output, and the decoder's dictionary.
{ echo 'start,stop'; head -c 64000000 /dev/zero; } | xz -1 -c > "$cz/bomb.csv.xz"
check "xz decompression bomb" 1 - "timeline: $cz/bomb.csv.xz: memory limit reached: the input decompresses to over 16 MiB (--max-memory)" -- "$bin" stats --max-memory 16M "$cz/bomb.csv.xz"
xz -9 -c good/modes.csv > "$cz/big-dict.csv.xz"
check "xz dictionary past the memory limit" 1 - "timeline: $cz/big-dict.csv.xz: memory limit reached: decompressing the xz data needs 64 MiB, over 16 MiB (--max-memory)" -- "$bin" stats --max-memory 16M "$cz/big-dict.csv.xz"
# Written as .xz too, and read back.
"$bin" convert good/modes.csv -T csv -o "$cz/out.csv.xz" && "$bin" convert good/modes.csv -T chrome -o "$cz/out.json.xz" \
  && [ "$(xz -dc "$cz/out.csv.xz" | "$bin" stats -f csv -)" = "$(cat good/modes.stats.csv)" ] \
  && [ "$("$bin" stats -f csv "$cz/out.json.xz")" = "$(cat good/modes.stats.csv)" ] \
  && ok "convert -o .xz: compressed, and read back" || not_ok "convert -o .xz" "$(xz -dc "$cz/out.json.xz" 2>&1 | head -3)"
# ---- end of compressed input ----
"$bin" run --modes threads --jobs 2 --workers 2 -o "$u/gil.csv" --gil --workload cpu -n 1000 >/dev/null
"$bin" stats -f csv "$u/gil.csv" | sed -n 2p | grep -q '^"threads, GIL 5 ms",2,' \
  && ok "--gil named in the group" || not_ok "--gil named in the group" "$("$bin" stats -f csv "$u/gil.csv")"
"$bin" run --jobs 3 --workers 2 -o "$u/exec2.csv" -- echo '{}' >/dev/null
[ "$(awk -F, '$1 == "span" { printf "%s:%s ", $2, $8 }' "$u/exec2.csv")" = "processes:echo 0 processes:echo 1 processes:echo 2 " ] \
  && ok "exec: one pool of processes, commands as labels" || not_ok "exec: one pool of processes" "$(cat "$u/exec2.csv")"
"$bin" run --workload sleep --latency 1 --jobs 2 --modes threads -o "$u/title.csv" --plot "$u/title.pdf" --title "Ohne Titel: 12 jobs" >/dev/null
pdftotext "$u/title.pdf" - 2>/dev/null | grep -q 'Ohne Titel: 12 jobs' && ok "run --title titles the chart" \
  || not_ok "run --title titles the chart" "$(pdftotext "$u/title.pdf" - 2>&1 | head -3)"
# Commands run in a process group of their own, killed whole: a timeout leaves
# nothing behind (the shell's child included), and nothing holds the pipe.
"$bin" run --jobs 2 --workers 2 --timeout 0.3 -o "$u/to.csv" -- sh -c 'sleep 7.123; true' 2>/dev/null | cat >/dev/null
left=1
for _ in $(seq 500); do pgrep -f 'sleep 7.123' >/dev/null || { left=0; break; }; sleep 0.02; done
[ $left = 0 ] && [ "$(awk -F, '$1 == "span" { printf "%s ", $7 }' "$u/to.csv")" = "timeout timeout " ] \
  && ok "a timed-out command's whole process group is killed" \
  || not_ok "a timed-out command's whole process group is killed" "$(pgrep -fa 'sleep 7.123')"
# With -o -, the commands' output goes to stderr: stdout is the CSV alone.
"$bin" run --jobs 2 --workers 2 -o - -- echo hello{} >"$u/stdout.csv" 2>"$u/stdout.err"
"$bin" stats "$u/stdout.csv" >/dev/null && [ "$(sort "$u/stdout.err")" = "$(printf 'hello0\nhello1')" ] \
  && ok "-o -: commands' output on stderr, the CSV alone on stdout" || not_ok "-o -: commands' output" "$(head -3 "$u/stdout.csv")"
# A command line that is not UTF-8 still gives a label the reader takes back.
"$bin" run --jobs 1 --workers 1 -o "$u/utf.csv" -- echo $'\xff\xfe' >/dev/null
"$bin" stats "$u/utf.csv" >/dev/null && grep -q "^span,processes,0,0,.*,0,echo $(printf '\xef\xbf\xbd\xef\xbf\xbd')$" "$u/utf.csv" \
  && ok "labels made valid UTF-8" || not_ok "labels made valid UTF-8" "$(grep span "$u/utf.csv")"
# A job that interrupts itself: the others run; no start-up is claimed, since
# the pool's first job has no span.
# (env --default-signal: a background job of a script starts with SIGINT ignored.)
check "a job interrupted by SIGINT" 130 - "timeline: run: interrupted; 2 of 3 jobs completed, written to $u/self.csv" -- "$bin" run --jobs 3 --workers 1 -o "$u/self.csv" -- env --default-signal=INT sh -c 'case {} in 0) kill -INT $$;; esac'
! grep -q '^# origin' "$u/self.csv" && [ "$("$bin" stats -f csv "$u/self.csv" | head -1)" = "group,jobs,workers,wall,busy,concurrency,speedup" ] \
  && ok "first job interrupted: no start-up claimed" || not_ok "first job interrupted: no start-up claimed" "$(head -5 "$u/self.csv")"
check "run --modes twice" 2 - "timeline: run: invalid modes 'threads,threads' (a list of serial, threads and processes, each once) (try 'timeline help run')" -- "$bin" run --modes threads,threads
check "run -n past int64" 2 - "timeline: run: invalid n '99999999999999999999' (a whole number of at least 1) (try 'timeline help run')" -- "$bin" run -n 99999999999999999999
check "run --latency in hex" 2 - "timeline: run: invalid latency '0x10' (milliseconds) (try 'timeline help run')" -- "$bin" run --workload sleep --latency 0x10
check "run -o ''" 2 - "timeline: run: an empty file name (try 'timeline help run')" -- "$bin" run -o ''
check "run -- alone" 2 - "timeline: run: no command after -- (try 'timeline help run')" -- "$bin" run --
check "run --timeout with io" 2 - "timeline: run: --timeout does not apply to the io workload: it is for cpu, sleep, track and exec (try 'timeline help run')" -- "$bin" run --workload io --timeout 1
check "run --title without --plot" 2 - "timeline: run: --title titles the chart: give --plot too (try 'timeline help run')" -- "$bin" run --title x
rm -f "$u/same.png"
check "run -o and --plot one new file" 2 - "timeline: run: --plot and -o name the same file '$u/./same.png' (try 'timeline help run')" -- "$bin" run --jobs 1 -o "$u/same.png" --format csv --plot "$u/./same.png"
# The memory check counts every mode and repeat, and the address space limit
# (sanitizers and valgrind reserve more address space than the limit leaves).
if native && ! ldd "$bin" | grep -q 'libasan\|libtsan'; then
  (ulimit -v 1500000; "$bin" run --workload track -n 2000000 --jobs 2 --workers 2 --repeat 10 -o "$u/big.csv.zst" --large-output) 2>"$work/err"; rc=$?
  [ $rc = 2 ] && grep -q '^timeline: run: 2 jobs × 2000000 samples do not fit in memory: at most [0-9]* samples a job would, over 20 runs' "$work/err" \
    && [ ! -e "$u/big.csv.zst" ] && ok "memory checked for every mode and repeat, within ulimit -v" || not_ok "memory check" "rc=$rc $(cat "$work/err")"
  # The data limit too, as the readers' --max-memory default heeds it (the
  # run would otherwise go on to run out of memory making the trace).
  (ulimit -d 1500000; "$bin" run --workload track -n 2000000 --jobs 2 --workers 2 --repeat 10 -o "$u/big.csv.zst" --large-output) 2>"$work/err"; rc=$?
  [ $rc = 2 ] && grep -q '^timeline: run: 2 jobs × 2000000 samples do not fit in memory: at most [0-9]* samples a job would, over 20 runs' "$work/err" \
    && [ ! -e "$u/big.csv.zst" ] && ok "memory checked within ulimit -d" || not_ok "memory check within ulimit -d" "rc=$rc $(cat "$work/err")"
else
  skip "memory checked within ulimit -v" "sanitizer or valgrind build"
  skip "memory checked within ulimit -d" "sanitizer or valgrind build"
fi
check "run a missing command" 3 - "timeline: run: cannot run 'no-such-command-xyz': No such file or directory
timeline: run: 1 job failed" -- "$bin" run --jobs 1 --workers 1 -o "$u/nf.csv" -- no-such-command-xyz
# A group's Gantt and scatter panels say the same start-up.
"$bin" run --workload track -n 20000 --jobs 2 --workers 2 -o "$u/su.csv" --plot "$u/su.pdf" >/dev/null
su=$(pdftotext "$u/su.pdf" - | grep -o 'start-up [0-9.]* [mµ]*s')
[ "$(echo "$su" | wc -l)" -ge 2 ] && [ "$(echo "$su" | sort | uniq -c | awk '$1 != 2' | wc -l)" = 0 ] \
  && ok "Gantt and scatter panels of a group show one start-up" || not_ok "one start-up per group" "$su"
check "run repeat" 0 - "*" -- "$bin" run --workload sleep --latency 1 --jobs 2 --workers 2 --modes serial,threads --repeat 3 -o "$u/rep.csv" --plot "$u/rep.svg"
# Each run is in the file; stats and the chart summarise them: a row and a
# panel per mode, the run with the median wall time, and the spread.
out=$("$bin" stats -f csv "$u/rep.csv")
groups=$(grep -c '^span,' "$u/rep.csv")
summary=$(echo "$out" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print(" ".join("%s:%s:%s" % (r["group"], r["runs"], r["run"] in "123") for r in rows))
for r in rows:
    assert float(r["wall_min"]) <= float(r["wall"]) <= float(r["wall_max"]), r
')
[ "$groups" = 12 ] && [ "$summary" = "serial:3:True threads:3:True" ] \
  && [ "$(grep -c '<svg' "$u/rep.svg")" = 1 ] \
  && ok "repeats: every run written, a row per mode with its median run and spread" \
  || not_ok "repeats summarised" "spans $groups; $summary" "$out"
"$bin" run --workload sleep --latency 1 --jobs 2 --workers 2 --modes serial,threads --repeat 3 -o "$u/rep2.csv" --plot "$u/rep2.pdf" >/dev/null
[ "$(pdftotext "$u/rep2.pdf" - | grep -c 'run [123] of 3, the median')" = 2 ] && ok "repeats: a panel per mode, saying which run" \
  || not_ok "repeats: a panel per mode" "$(pdftotext "$u/rep2.pdf" - | head -5)"
before=$(ls -d /tmp/timeline-run-* 2>/dev/null | wc -l)
check "run io" 0 - "" -- "$bin" run --workload io --size 100000 --jobs 3 --workers 2 --modes serial,threads,processes -o "$u/io.csv"
[ "$(ls -d /tmp/timeline-run-* 2>/dev/null | wc -l)" = "$before" ] && ok "io leaves no temporary folder" || not_ok "io leaves no temporary folder"
if command -v script >/dev/null; then
  script -qec "$bin run --workload sleep --latency 150 --jobs 2 --workers 2 --modes threads -o $u/tty.csv" /dev/null > "$u/tty.out" 2>&1
  grep -q 'threads    2/2 jobs' "$u/tty.out" && ok "progress line on a terminal" || not_ok "progress line on a terminal" "$(head -c 300 "$u/tty.out")"
fi
"$bin" run --workload sleep --latency 1 --jobs 2 --modes threads -o "$u/notty.csv" >/dev/null 2>"$u/notty.err"
[ ! -s "$u/notty.err" ] && ok "no progress line when stderr is not a terminal" || not_ok "no progress line when stderr is not a terminal" "$(cat "$u/notty.err")"
if [ -n "$recdemo" ]; then
  "$recdemo" "$u/rec.csv" && out=$("$bin" stats -f csv "$u/rec.csv") && \
    [ "$(echo "$out" | sed -n 2p | cut -d, -f1-3)" = "threads,12,4" ] && ok "recorder demo: 12 jobs on 4 threads" \
    || not_ok "recorder demo: 12 jobs on 4 threads" "$out"
fi

# README and man page examples run as written.
for ex in "$tests"/../samples/*.csv; do
  "$bin" stats "$ex" > /dev/null 2>"$work/err" && ok "sample $(basename "$ex")" || not_ok "sample $(basename "$ex")" "$(cat "$work/err")"
done

# Every untagged code block of docs/csv-format.md is a CSV the reader accepts.
blocks=$(awk -v dir="$work" '
  /^```/ {
    if (inb) { inb = 0; close(f); print f; next }
    if (skip) { skip = 0; next }
    if ($0 == "```") { inb = 1; k++; f = dir "/doc-" k ".csv"; printf "" > f; next }
    skip = 1; next
  }
  inb { print >> f }' "$tests/../docs/csv-format.md")
for b in $blocks; do
  "$bin" stats "$b" >/dev/null 2>"$work/err" && ok "csv-format.md example $(basename "$b")" \
    || not_ok "csv-format.md example $(basename "$b")" "$(cat "$work/err")" "$(head -3 "$b")"
done
[ -n "$blocks" ] && ok "csv-format.md has examples" || not_ok "csv-format.md has examples"

# timeline help formats, docs/csv-format.md and the man page list the same
# column names, each role's in the same order (the reader's synonym table,
# which help formats prints), and the man page documents every long option of
# stats, render and convert under that command.
man1="$tests/../docs/timeline.1"
roles=$("$bin" help formats | awk '
  /The roles, their meaning and their names:$/ { on = 1; next }
  on && /^  [a-z]+ / { if (role != "") print role "\t" names; role = $1; names = ""; next }
  on && /^            [a-z0-9_]/ { sub(/^ +/, ""); names = names (names == "" ? "" : " ") $0; next }
  on && role != "" && /^$/ { print role "\t" names; exit }')
[ "$(printf '%s\n' "$roles" | grep -c .)" -ge 10 ] && ok "help formats lists the column roles" \
  || not_ok "help formats lists the column roles" "$roles"
mancols=$(awk '/^\.SH CSV COLUMNS/ { on = 1; next } /^\.SH / { on = 0 } on' "$man1")
while IFS=$'\t' read -r role names; do
  [ -n "$role" ] || continue
  cell=$(printf '%s\n' "$names" | sed 's/[^ ,][^ ,]*/`&`/g')
  row=$(grep -F "| \`$role\` |" "$tests/../docs/csv-format.md" | head -1)
  case $row in
    *"| $cell |") ok "csv-format.md names the $role columns as help formats does" ;;
    *) not_ok "csv-format.md names the $role columns as help formats does" "want: | $cell |" "row: $row" ;;
  esac
  printf '%s\n' "$mancols" | grep -qFx ".B $role" && printf '%s\n' "$mancols" | grep -qFx -- "$names" \
    && ok "man page names the $role columns as help formats does" \
    || not_ok "man page names the $role columns as help formats does" "want, under .B $role in CSV COLUMNS: $names"
done <<< "$roles"
for cmd in stats render convert; do
  block=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man1" | awk -v cmd="$cmd" '
    /^\.SH / { sub_ = $0 ~ /^\.SH SUBCOMMANDS/ }
    sub_ && $0 ~ "^\\.B " cmd " " { on = 1 }
    on { print }
    on && /^\.RE/ { exit }')
  opts=$("$bin" help "$cmd" | grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z][a-z-]*' | sort -u)
  missing=
  for o in $opts; do
    if [ "$o" = --help ]; then
      grep -qF -- '\-\-help' "$man1" || missing="$missing $o"
    else
      printf '%s\n' "$block" | grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" || missing="$missing $o"
    fi
  done
  [ -n "$opts" ] && [ -n "$block" ] && [ -z "$missing" ] && ok "man page has every option of $cmd" \
    || not_ok "man page has every option of $cmd" "missing under '$cmd' in SUBCOMMANDS:${missing:- (no options or no section found)}"
done

# The README's stats example prints what the README shows.
want=$(awk '/^\$ timeline stats samples\/threads-vs-processes.csv$/ {on = 1; next} on && /^```/ {exit} on' "$tests/../README.md")
got=$(cd "$tests/.." && "$bin" stats samples/threads-vs-processes.csv)
[ -n "$want" ] && [ "$got" = "$want" ] && ok "README example output" || not_ok "README example output" "$got"

# Every command the README shows runs as shown (in a scratch copy of the
# samples, with the inputs its examples name), and shown outputs match.
rd=$(mktemp -d)
cp -r "$tests/../samples" "$rd/samples"
cp "$tests/../samples/threads-vs-processes.csv" "$rd/results.csv"
cp "$tests/data/good/parallel-joblog.txt" "$rd/jobs.log"
cp "$tests/data/good/clang-ftime-trace.json" "$rd/main.json"
cp "$tests/data/good/hyperfine.json" "$rd/runs.json"
zstd -q -c "$tests/data/good/spark-statuses.jsonl" > "$rd/app-1234.zst"
cp "$tests/data/good/records-gh-jobs.json" "$rd/jobs.json"
mkdir -p "$rd/build" && cp "$tests/data/good/ninja-builds.ninja_log" "$rd/build/.ninja_log"
printf 'Task,Begun At,Done,Notes\nfetch,0,1.5,\nparse,1.5,2,slow\n' > "$rd/jobs.csv"
{ echo "job,start,stop"; for i in 1 2 3 4 5 6 7 8 9 10; do echo "$i,0,1"; done; echo "100,2,1.5"; } > "$rd/bad.csv"
mkdir -p "$rd/bin" && ln -s "$bin" "$rd/bin/timeline"
cmds=0
while IFS= read -r line; do
  cmd=${line%%#*}
  case $cmd in
    *curl*|*https://*) continue ;; # no network here
    *demo*) native || continue ;;
  esac
  cmds=$((cmds + 1))
  (cd "$rd" && PATH="$rd/bin:$PATH" sh -c "$cmd" >"$rd/out" 2>"$rd/err"); rc=$?
  [ $rc = 0 ] && ok "README: $cmd" || not_ok "README: $cmd" "exit $rc: $(head -3 "$rd/err")"
done < <(awk '/^```sh$/ {on = 1; next} /^```/ {on = 0} on && /^(timeline|python3 samples)/' "$tests/../README.md")
[ $cmds -ge 10 ] && ok "README commands found ($cmds)" || not_ok "README commands found" "$cmds"
# Console blocks: "$ command" and the exact output below it (unless it ends in "...").
awk -v dir="$rd" '
  /^```console$/ { on = 1; k++; cmd = ""; next }
  /^```/ { on = 0; next }
  on && /^\$ / { cmd = substr($0, 3); print cmd > (dir "/console-" k ".cmd"); next }
  on { print > (dir "/console-" k ".out") }' "$tests/../README.md"
for c in "$rd"/console-*.cmd; do
  want="${c%.cmd}.out"
  got=$(cd "$rd" && PATH="$rd/bin:$PATH" sh -c "$(cat "$c")" 2>&1)
  if grep -q '^\.\.\.$' "$want"; then
    head=$(grep -v '^\.\.\.$' "$want")
    [ "$(echo "$got" | head -n "$(echo "$head" | wc -l)")" = "$head" ] && ok "README output: $(cat "$c")" \
      || not_ok "README output: $(cat "$c")" "$got"
  else
    [ "$got" = "$(cat "$want")" ] && ok "README output: $(cat "$c")" || not_ok "README output: $(cat "$c")" "$got"
  fi
done
rm -rf "$rd"

# A hyperfine export of 200 000 runs: the exit codes are walked beside the
# times (looked up by index in cJSON's list, reading took 37 s); bench/hyperfine.sh times it.
python3 -c '
import json
n = 200000
print(json.dumps({"results": [
    {"command": "a", "times": [0.001 * (1 + i % 7) for i in range(n)],
     "exit_codes": [1 if i % 3 == 0 else 0 for i in range(n)]},
    {"command": "b", "times": [0.002] * 10, "exit_codes": [0] * 10}]}))' > "$work/hf200k.json"
out=$(timeout 60 "$bin" stats -f csv "$work/hf200k.json" | cut -d, -f1,2,8)
[ "$out" = "command,runs,failed
a,200000,66667
b,10,0" ] && ok "hyperfine: 200 000 runs read, their exit codes in step" || not_ok "hyperfine: 200 000 runs read, their exit codes in step" "$out"

# Names are shown, never obeyed: control characters in a command reached the
# terminal raw (good/chrome-control-names.json holds a trace's). CSV keeps the bytes, quoted.
printf '{"results": [{"command": "a\\u001b[2Jb\\tc", "times": [0.1, 0.3]}, {"command": "d\\u0007", "times": [0.2]}]}' > "$work/hf-control.json"
out=$("$bin" stats "$work/hf-control.json")
[ "$out" = "command       runs      mean ± σ (ms)  min (ms)  median (ms)  max (ms)  failed  relative
a\x1b[2Jb\tc     2  200.000 ± 141.421   100.000      200.000   300.000       0  1.00
d\x07            1  200.000             200.000      200.000   200.000       0  1.00
relative: mean / the mean of 'a\x1b[2Jb\tc', the fastest; ± from both σ" ] && ok "stats shows control characters in commands as escapes" \
  || not_ok "stats shows control characters in commands as escapes" "$out"
out=$("$bin" stats -f csv "$work/hf-control.json" | cut -d, -f1)
[ "$out" = "$(printf 'command\n"a\033[2Jb\tc"\n"d\a"')" ] && ok "stats CSV keeps control characters, quoted" \
  || not_ok "stats CSV keeps control characters, quoted" "$out"

# Several inputs to stats are loaded as render loads them: groups named after
# the files, one reference (tl_trace_reference, --baseline) and the speedups
# render draws. Each file's one group got no speedup, and --baseline refused
# the names the groups were listed by.
printf 'start,stop\n0,4\n' > "$work/serial.csv"
printf 'start,stop\n0,2\n' > "$work/par.csv"
out=$("$bin" stats "$work/serial.csv" "$work/par.csv" | head -3)
[ "$out" = "group   jobs  workers  wall (s)  busy (s)  concurrency  speedup
serial     1       1*     4.000     4.000         1.00    1.00×
par        1       1*     2.000     2.000         1.00    2.00×" ] && ok "stats of several inputs: speedups as render's" \
  || not_ok "stats of several inputs: speedups as render's" "$out"
out=$(COLUMNS=60 "$bin" render -T txt --ascii "$work/serial.csv" "$work/par.csv" | grep '^par ')
[ "$out" = "par  wall 2.00 s - 2.00x vs serial" ] && ok "render of the same inputs: the same speedup" \
  || not_ok "render of the same inputs: the same speedup" "$out"
out=$("$bin" stats -f csv --baseline par "$work/serial.csv" "$work/par.csv" | cut -d, -f1,7)
[ "$out" = "group,speedup
serial,0.500000000
par,1.000000000" ] && ok "stats --baseline names an input's group as render does" \
  || not_ok "stats --baseline names an input's group as render does" "$out"
check "stats --baseline of no group lists the groups by their names" 2 - \
  "timeline: --baseline nope: no group 'nope' (the groups: 'serial', 'par')" -- "$bin" stats --baseline nope "$work/serial.csv" "$work/par.csv"
# Two Chrome traces: each one's processes ran at the same time, but the
# traces are separate runs. They were all "the same time".
for run in a:4:3 b:2:1; do
  IFS=: read -r run_name run_d1 run_d2 <<< "$run"
  printf '{"traceEvents": [{"ph": "X", "name": "j", "pid": 1, "tid": 1, "ts": 0, "dur": %d000000}, {"ph": "X", "name": "j", "pid": 2, "tid": 1, "ts": 0, "dur": %d000000}]}\n' "$run_d1" "$run_d2" > "$work/run-$run_name.json"
done
out=$("$bin" stats "$work/run-a.json" "$work/run-b.json")
[ "$out" = "group        jobs  workers  wall (s)  busy (s)  concurrency  speedup
run-a:pid 1     1        1     4.000     4.000         1.00    1.00×
run-a:pid 2     1        1     3.000     3.000         1.00        -
run-b:pid 1     1        1     2.000     2.000         1.00    2.00×
run-b:pid 2     1        1     1.000     1.000         1.00    4.00×
speedup: none for a group that ran at the same time as the reference (groups of one input)
speedup: wall time of 'run-a:pid 1' / wall time" ] && ok "stats of two Chrome traces: the traces compare, one's processes do not" \
  || not_ok "stats of two Chrome traces: the traces compare, one's processes do not" "$out"
out=$("$bin" stats -f csv --baseline 'run-b:pid 1' "$work/run-a.json" "$work/run-b.json" | cut -d, -f1,7)
[ "$out" = "group,speedup
run-a:pid 1,0.500000000
run-a:pid 2,0.666666667
run-b:pid 1,1.000000000
run-b:pid 2," ] && ok "stats --baseline of a process of one of two traces" \
  || not_ok "stats --baseline of a process of one of two traces" "$out"
out=$("$bin" stats -f csv "$work/run-a.json" | cut -d, -f7 | tr '\n' ' ')
[ "$out" = "speedup   " ] && ok "one Chrome trace's processes still get no speedup" || not_ok "one Chrome trace's processes still get no speedup" "$out"

tap_end
