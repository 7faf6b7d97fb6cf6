#!/usr/bin/env bash
# Hostile input, limits and output safety (docs/SECURITY.md). Every class of
# bad input: exit 1, one exact line "timeline: FILE:LINE:COLUMN: reason", and
# nothing written. Prints TAP.
#   tests/cli/hostile.sh path/to/timeline path/to/tests [path/to/libhold.so]
# TL_WRAP, when set, is a command the binary runs under (valgrind); the
# checks that need real time or address-space limits are skipped then.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tests=$(cd "$2" && pwd)
holdlib=${3:-}
[ -n "$holdlib" ] && holdlib=$(cd "$(dirname "$holdlib")" && pwd)/$(basename "$holdlib")
wrap=${TL_WRAP:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/tap.sh"
tl() { $wrap "$bin" "$@"; }

# refused NAME WANT_RC WANT_ERR CMD...: the command fails with exactly that
# line and leaves the output folder $out empty.
out=$work/out
refused() {
  local name=$1 want_rc=$2 want_err=$3
  shift 3
  rm -rf "$out"; mkdir -p "$out"
  local err rc
  err=$("$@" 2>&1 >/dev/null); rc=$?
  if [ "$rc" != "$want_rc" ]; then
    not_ok "$name" "exit status $rc, want $want_rc" "stderr: ${err:0:300}"
  elif [ "$err" != "$want_err" ]; then
    not_ok "$name" "stderr: ${err:0:300}" "want:   $want_err"
  elif [ -n "$(ls -A "$out")" ]; then
    not_ok "$name" "left in the output folder: $(ls -A "$out")"
  else
    ok "$name"
  fi
}

cd "$work" || exit 1
mkdir in
cp "$tests"/data/bad/* in/

# ---- every bad file, through every command that writes ----
for f in in/*; do
  case $f in *.expect) continue ;; esac
  exp=${f%.*}.expect
  want_rc=$(sed -n 1p "$exp")
  want_err=$(sed -n 2p "$exp" | sed "s|bad/|in/|")
  args=$(sed -n 3p "$exp") # options the case needs, if any
  # shellcheck disable=SC2086
  refused "render refuses $f" "$want_rc" "$want_err" tl render $args "$f" -o "$out/x.png"
  # The same reader either way: under valgrind, once is enough.
  # shellcheck disable=SC2086
  [ -n "$wrap" ] || refused "convert refuses $f" "$want_rc" "$want_err" tl convert $args "$f" -o "$out/x.csv"
done

# ---- generated classes too big to keep in the repository ----
{ echo "start,stop"; printf '0,'; head -c 2000000 /dev/zero | tr '\0' 7; echo; } > digits.csv
refused "a 2-million-digit number" 1 \
  "timeline: digits.csv:2:3: stop time '7777777777777777777777777777777777777777...' is out of range" \
  tl render digits.csv -o "$out/x.png"
{ echo "start,stop"; head -c 10000000 /dev/zero | tr '\0' x; echo; } > longline.csv
refused "a 10 MB line" 1 "timeline: longline.csv:2:10000001: row has 1 field, the header has 2" \
  tl render longline.csv -o "$out/x.png"
{ printf '['; head -c 200000 /dev/zero | tr '\0' '['; } > deep.json
refused "200 000 nested brackets" 1 "timeline: deep.json:1:1002: JSON nested deeper than 1000 levels" \
  tl render deep.json -o "$out/x.png"
{ printf '{"traceEvents":[{"ph":"X","ts":1,"dur":1,"name":"'; head -c 10000000 /dev/zero | tr '\0' y; } > cut.json
refused "a JSON string cut off after 10 MB" 1 "timeline: cut.json:1:17: truncated JSON: a string never ends" \
  tl render cut.json -o "$out/x.png"
head -c 65536 /dev/urandom > junk.bin
printf '\0' >> junk.bin
err=$(tl render junk.bin -o "$out/x.png" 2>&1); rc=$?
[ $rc = 1 ] && [ "$(echo "$err" | wc -l)" = 1 ] && [[ $err == "timeline: junk.bin:"* ]] && [ -z "$(ls -A "$out")" ] \
  && ok "random bytes: one line, nothing written" || not_ok "random bytes: one line, nothing written" "rc=$rc ${err:0:200}"

# A 10 MB label is valid: drawn, cut to fit, promptly.
{ echo "start,stop,label"; printf '0,1,'; head -c 10000000 /dev/zero | tr '\0' x; echo; } > label.csv
if [ -z "$wrap" ]; then
  timeout 20 "$bin" render label.csv -o "$work/label.png" && timeout 20 "$bin" render label.csv -o "$work/label.svg" \
    && [ "$(stat -c %s "$work/label.svg")" -lt 200000 ] && ok "a 10 MB label renders, cut to fit" \
    || not_ok "a 10 MB label renders, cut to fit" "$(ls -l "$work"/label.*)"
else
  skip "a 10 MB label renders" "under $wrap"
fi

# Times 146 years apart, the most the trace allows: every chart and the
# stats still compute with no overflow (the sanitizer run checks), and the
# text axis keeps its long labels apart.
printf 'start,stop\n-2305843009,-2305843008\n2305843009,2305843009.2\n' > wide.csv
if tl render wide.csv -o "$work/wide.png" && tl render wide.csv -o "$work/wide.svg" \
    && tl render wide.csv -T txt -o "$work/wide.txt" && tl stats wide.csv >/dev/null \
    && [ "$(head -c 4 "$work/wide.png" | od -An -c | tr -d ' ')" = "211PNG" ]; then
  axis=$(tail -1 "$work/wide.txt")
  if grep -qE '[0-9]-|[0-9] [0-9-]' <<<"$axis" || [ "$(wc -w <<<"$axis")" -lt 3 ]; then
    not_ok "146 years of times: text axis labels apart" "$axis"
  else
    ok "146 years of times: PNG, SVG, text and stats"
  fi
else
  not_ok "146 years of times: PNG, SVG, text and stats" "$(ls "$work"/wide.*)"
fi
rm -f "$work"/wide.*
printf '{"beginningOfTime":1000,"traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5}]}' > early.json
printf '{"beginningOfTime":4700000000000000,"traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5}]}' > late.json
refused "--align absolute over more than 146 years" 1 \
  "timeline: late.json: more than 146 years after the earliest input: too far apart to align" \
  tl render early.json late.json --align absolute -o "$out/x.png"
printf '{"beginningOfTime":"soon","traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5}]}' > soon.json
refused "beginningOfTime not a number" 1 \
  'timeline: soon.json:1:20: "beginningOfTime" is not a number of microseconds' \
  tl render soon.json -o "$out/x.png"
rm -f early.json late.json soon.json

# ---- the Chrome reader stays linear on adversarial traces ----
if [ -z "$wrap" ]; then
  python3 - <<'PY'
N = 100000
ev = []
for i in range(N):
    ev.append('{"ph":"M","name":"thread_name","pid":1,"tid":%d,"args":{"name":"t%d"}}' % (i, i))
    ev.append('{"ph":"M","name":"thread_sort_index","pid":1,"tid":%d,"args":{"sort_index":%d}}' % (i, N - i))
    ev.append('{"ph":"M","name":"process_sort_index","pid":%d,"tid":0,"args":{"sort_index":%d}}' % (i, i))
for i in range(N):
    ev.append('{"ph":"X","name":"x","pid":1,"tid":%d,"ts":%d,"dur":1}' % (i, i))
open('names.json', 'w').write('{"traceEvents":[\n' + ',\n'.join(ev) + '\n]}\n')
ev = ['{"ph":"B","name":"b","pid":1,"tid":2,"ts":%d}' % i for i in range(N)]
ev += ['{"ph":"B","name":"a","pid":1,"tid":1,"ts":%d}' % i for i in range(N)]
ev += ['{"ph":"E","pid":1,"tid":2,"ts":%d}' % (N + i) for i in range(N)]
open('stacks.json', 'w').write('{"traceEvents":[\n' + ',\n'.join(ev) + '\n]}\n')
PY
  s=$(date +%s%N)
  got=$(timeout 30 "$bin" stats -f csv names.json 2>&1 | sed -n 2p)
  ms=$((($(date +%s%N) - s) / 1000000))
  [ "$got" = "pid 1,100000,100000,0.100000000,0.100000000,1.000000000," ] \
    && ok "100 000 named, sorted threads read in ${ms} ms" || not_ok "100 000 named, sorted threads" "$got (${ms} ms)"
  s=$(date +%s%N)
  got=$(timeout 30 "$bin" stats -f csv stacks.json 2>&1 | sed -n 2p | cut -d, -f1-3)
  ms=$((($(date +%s%N) - s) / 1000000))
  # The closed pairs, and the 100 000 Bs never closed, which last to the end.
  [ "$got" = "pid 1,200000,2" ] && ok "100 000 B/E pairs under 100 000 open Bs read in ${ms} ms" \
    || not_ok "100 000 B/E pairs under 100 000 open Bs" "$got (${ms} ms)"
  rm -f names.json stacks.json
else
  skip "Chrome reader stays linear" "under $wrap"
fi

# ---- a group per row: nothing may cost groups × rows ----
awk 'BEGIN { print "group,start,stop"; for (i = 0; i < 100000; i++) printf "g%d,%d,%d\n", i, i, i + 1 }' > groups.csv
if [ -z "$wrap" ]; then
  s=$(date +%s%N)
  got=$(timeout 20 "$bin" stats -f csv groups.csv | sed -n 100001p)
  ms=$((($(date +%s%N) - s) / 1000000))
  [ "$got" = "g99999,1,1,1.000000000,1.000000000,1.000000000,1.000000000,1" ] \
    && ok "stats on 100 000 groups in ${ms} ms" || not_ok "stats on 100 000 groups" "$got (${ms} ms)"
  # A process per event: the per-process job counters grow by doubling (one
  # copy per event was 40 s under AddressSanitizer).
  awk 'BEGIN { printf "{\"traceEvents\":["; for (i = 0; i < 100000; i++) printf "%s{\"ph\":\"X\",\"name\":\"x\",\"pid\":%d,\"tid\":1,\"ts\":%d,\"dur\":1}", (i ? "," : ""), i, i; print "]}" }' > pids.json
  s=$(date +%s%N)
  got=$(timeout 20 "$bin" stats -f csv pids.json | sed -n 100001p)
  ms=$((($(date +%s%N) - s) / 1000000))
  [ "$got" = "pid 99999,1,1,0.000001000,0.000001000,1.000000000," ] \
    && ok "stats on 100 000 Chrome processes in ${ms} ms" || not_ok "stats on 100 000 Chrome processes" "$got (${ms} ms)"
  rm -f pids.json
  awk 'BEGIN { print "group,job,start,stop"; for (i = 0; i < 1000000; i++) printf "g%d,%d,%d,%d\n", i % 256, i % 1000, i, i + 1 }' > g256.csv
  s=$(date +%s%N)
  lines=$(timeout 20 "$bin" render -T txt g256.csv | wc -l)
  ms=$((($(date +%s%N) - s) / 1000000))
  # 256 sections of a title, 40 rows and "960 more rows", then the axis.
  [ "$lines" = $((256 * 42 + 2)) ] && ok "text preview of 256 groups, 1 000 000 spans in ${ms} ms" \
    || not_ok "text preview of 256 groups, 1 000 000 spans" "$lines lines (${ms} ms)"
  # Lanes for 256 panels: one array for all, not one per panel (400 MB here).
  if [ -x /usr/bin/time ] && ! ldd "$bin" | grep -q 'libasan\|libtsan'; then
    head -400001 g256.csv > g256s.csv
    kb=$(/usr/bin/time -f %M "$bin" render g256s.csv --rows worker --cols 16 -o "$work/g256.png" 2>&1 >/dev/null | tail -1)
    [ -n "$kb" ] && [ "$kb" -lt 300000 ] && ok "256 panels of lanes over 400 000 spans: $((kb / 1024)) MB" \
      || not_ok "256 panels of lanes over 400 000 spans" "peak ${kb} KB"
    rm -f g256s.csv
  else
    skip "256 panels of lanes: peak memory" "no /usr/bin/time, or a sanitizer build"
  fi
  rm -f g256.csv
else
  skip "a group per row" "under $wrap"
fi
refused "more groups than panels" 1 "timeline: groups.csv: 100000 groups, a panel each: more than the 256 a chart can show" \
  tl render groups.csv -o "$out/x.png"
refused "more groups than text panels" 1 "timeline: groups.csv: 100000 groups, a panel each: more than the 256 a chart can show" \
  tl render groups.csv -T txt -o "$out/x.txt"
echo keep > kept.txt
tl render groups.csv -T txt -o kept.txt 2>/dev/null
[ "$(cat kept.txt)" = keep ] && ok "a failed text preview leaves the old file as it was" || not_ok "failed text preview kept the old file" "$(head -c 100 kept.txt)"

# ---- limits ----
awk 'BEGIN { print "start,stop,worker"; for (i = 0; i < 300000; i++) printf "%d,%d,w%d\n", i, i + 1, i % 7 }' > rows.csv
refused "--max-rows" 1 "timeline: rows.csv:1002:1: more than 1000 spans and samples: the row limit (--max-rows)" \
  tl render rows.csv --max-rows 1000 -o "$out/x.png"
refused "--max-memory" 1 \
  "timeline: rows.csv:16386:1: memory limit reached: the trace would take more than 1 MiB after 16384 spans and samples (--max-memory)" \
  tl convert rows.csv --max-memory 1M -o "$out/x.json"
refused "--max-memory on standard input" 1 \
  "timeline: <stdin>: memory limit reached: the input is over 1 MiB (--max-memory); read a file instead, it is not copied into memory" \
  sh -c "cat rows.csv | $wrap '$bin' stats --max-memory 1M -"
# 2.5 MiB of input in a 3 MiB limit (a few rows with long labels): the
# buffer grows to the limit, not past it, and the input is read.
awk 'BEGIN { s = sprintf("%1000s", ""); gsub(/ /, "x", s); print "start,stop,label"
  for (i = 0; i < 2600; i++) printf "%d,%d,%s\n", i, i + 1, s }' > long.csv
got=$(cat long.csv | tl stats --max-memory 3M --format csv - 2>&1 | tail -1)
[ "$got" = ",2600,1,2600.000000000,2600.000000000,1.000000000,,1" ] && ok "standard input up to --max-memory, not half of it" \
  || not_ok "standard input up to --max-memory" "got: $got"
# Exactly the limit is within it; a byte more is not.
head -c 1048576 long.csv | sed '$d' > exact.csv
pad=$((1048576 - $(stat -c %s exact.csv)))
{ cat exact.csv; printf '%*s\n' $((pad - 1)) '' | tr ' ' '#'; } > exact2.csv
[ "$(stat -c %s exact2.csv)" = 1048576 ] || not_ok "a 1 MiB input made" "$(stat -c %s exact2.csv)"
got=$(cat exact2.csv | tl stats --max-memory 1048576 --format csv - 2>&1 | tail -1)
[ "${got%%,*}" = "" ] && [ "$(echo "$got" | cut -d, -f2)" -gt 900 ] && ok "standard input of exactly --max-memory bytes" \
  || not_ok "standard input of exactly --max-memory bytes" "got: $got"
refused "standard input a byte over --max-memory" 1 \
  "timeline: <stdin>: memory limit reached: the input is over 1 MiB (--max-memory); read a file instead, it is not copied into memory" \
  sh -c "{ cat exact2.csv; echo; } | $wrap '$bin' stats --max-memory 1048576 -"
python3 -c "
import json
ev = [{'ph': 'X', 'name': 'x', 'pid': 1, 'tid': 1, 'ts': i, 'dur': 1} for i in range(3000)]
open('rows.json', 'w').write('{\"traceEvents\":[\n' + ',\n'.join(json.dumps(e) for e in ev) + '\n]}\n')"
refused "--max-rows on a Chrome trace" 1 \
  "timeline: rows.json:1002:1: more than 1000 spans and samples: the row limit (--max-rows)" \
  tl stats rows.json --max-rows 1000
refused "--max-memory on a Chrome trace" 1 \
  "timeline: rows.json:514:1: memory limit reached: the trace would take more than 200 KiB after 512 events (--max-memory)" \
  tl stats rows.json --max-memory 200K
refused "--max-rows 0" 2 "timeline: stats: invalid max-rows '0' (a whole number of at least 1) (try 'timeline help stats')" \
  tl stats rows.csv --max-rows 0
refused "--max-memory junk" 2 "timeline: render: invalid max-memory '2X' (bytes, like 512M or 4G; 0: no limit) (try 'timeline help render')" \
  tl render rows.csv --max-memory 2X -o "$out/x.png"
refused "the canvas is capped" 2 \
  "timeline: render: canvas 30000×1000 px is larger than the limit of 20000 px a side (try 'timeline help render')" \
  tl render rows.csv --width 15000 --scale 2 -o "$out/x.png"
tl stats --max-memory 0 --max-rows 300000 rows.csv >/dev/null && ok "limits that are not reached change nothing" \
  || not_ok "limits that are not reached change nothing"

# With little memory (an address-space limit) the default limit speaks before
# malloc fails or the OOM killer acts. Sanitizers reserve terabytes of address
# space, so only plain builds can run under ulimit -v.
if [ -z "$wrap" ] && ! ldd "$bin" | grep -q 'libasan\|libtsan' && [ -z "${ASAN_OPTIONS:-}" ]; then
  awk 'BEGIN { print "start,stop"; for (i = 0; i < 2500000; i++) printf "%d,%d\n", i, i + 1 }' > huge.csv
  rm -rf "$out"; mkdir -p "$out"
  err=$( (ulimit -v 300000; "$bin" render huge.csv -o "$out/x.png") 2>&1); rc=$?
  [ $rc = 1 ] && [[ $err == "timeline: huge.csv:"*": memory limit reached: the trace would take more than "*" MiB after "*" spans and samples (--max-memory)" ]] \
    && [ -z "$(ls -A "$out")" ] && ok "300 MB of address space: a clear message, not a crash" \
    || not_ok "300 MB of address space: a clear message, not a crash" "rc=$rc $err"
  rm -f huge.csv
else
  skip "ulimit -v" "sanitizer or valgrind build"
fi

# ---- output safety ----
cp "$tests/data/good/minimal.csv" in.csv
mkfifo pipe
cat pipe > from-pipe.png &
reader=$!
tl render in.csv -T png -o pipe && wait $reader && [ -p pipe ] && [ "$(head -c 4 from-pipe.png | od -An -c | tr -d ' ')" = 211PNG ] \
  && ok "a FIFO is written into, not replaced" || not_ok "a FIFO is written into, not replaced" "$(ls -l pipe from-pipe.png)"
tl render in.csv -T png -o /dev/null && [ -c /dev/null ] && ok "/dev/null stays a device" || not_ok "/dev/null stays a device"
echo keep > victim.png
ln -s victim.png link.png
tl render in.csv -o link.png && [ ! -L link.png ] && [ "$(cat victim.png)" = keep ] \
  && [ "$(head -c 4 link.png | od -An -c | tr -d ' ')" = 211PNG ] \
  && ok "a symlink at the target is replaced, never written through" || not_ok "symlink at the target" "$(ls -l link.png victim.png)"
echo old > mode.png
chmod 640 mode.png
tl render in.csv -o mode.png && [ "$(stat -c %a mode.png)" = 640 ] && ok "replacing a file keeps its permissions" \
  || not_ok "replacing a file keeps its permissions" "$(stat -c %a mode.png)"
(umask 077; tl render in.csv -o private.png) && [ "$(stat -c %a private.png)" = 600 ] && ok "a new file follows the umask" \
  || not_ok "a new file follows the umask" "$(stat -c %a private.png)"
(umask 022; tl convert in.csv -o public.csv) && [ "$(stat -c %a public.csv)" = 644 ] && ok "umask 022: 644, not mkstemp's 600" \
  || not_ok "umask 022: 644" "$(stat -c %a public.csv)"
mkdir adir
refused "render into a folder's name" 1 "timeline: adir: cannot write: Is a directory" tl render in.csv -T png -o adir
ls -a . | grep -q '^\.timeline-' && not_ok "no temporary file left" "$(ls -a .)" || ok "no temporary file left"
cp in.csv same.csv
ln -s same.csv alias.csv
refused "convert refuses to overwrite its input through a symlink" 1 \
  "timeline: alias.csv: refusing to overwrite the input same.csv" tl convert same.csv -o alias.csv

# ---- signals: no temporary file left ----
# Stopped by a signal at any moment of writing its output, a render or a
# convert dies of that signal (exit status 128+N) and leaves no temporary
# file, no partial output, and a file it was replacing as it was. Each
# moment is made certain, never waited for in the hope it has come: the
# input comes through a FIFO this script holds open (the output cannot be
# opened before the input ends), or tests/hold.c stops the program inside
# the write until the signal arrives. Every wait has a 60 s deadline that
# fails loudly.
if [ -n "$wrap" ] || [ -z "$holdlib" ]; then
  skip "signals at every moment of a write" "${wrap:-no libhold.so given}"
else
  ulimit -c 0 # SIGQUIT, SIGXCPU and SIGXFSZ dump core by default
  preload=$holdlib
  # An AddressSanitizer runtime must come first among preloaded libraries.
  asan=$(ldd "$bin" | awk '/libasan/ { print $3; exit }')
  [ -n "$asan" ] && preload="$asan $holdlib"
  sd=$work/sig
  mkfifo holdpipe feed
  awk 'BEGIN { print "start,stop,worker"; for (i = 0; i < 3000; i++) printf "%d,%d,w%d\n", i, i + 2, i % 4 }' > sig.csv

  # until_open PID FILE: wait, 60 s at most, until process PID has FILE open.
  until_open() {
    local k f
    for k in $(seq 6000); do
      for f in /proc/"$1"/fd/*; do
        [ "$(readlink "$f" 2>/dev/null)" = "$2" ] && return 0
      done
      kill -0 "$1" 2>/dev/null || return 1
      sleep 0.01
    done
    return 1
  }
  # finish PID: wait, 60 s at most, for PID to end (then kill it); status in
  # $rc. Called with 2>/dev/null: bash would say how the process died.
  finish() {
    timeout 60 tail --pid="$1" -s 0.01 -f /dev/null || { echo "# $1 did not end in 60 s: killed"; kill -9 "$1"; }
    wait "$1"
    rc=$?
  }

  # sig_case SIGNAL MOMENT TARGET CMD...: run CMD (its input and -o TARGET
  # appended), send SIGNAL at MOMENT (reading, fdopen, fclose or rename; see
  # tests/hold.c), and check the exit status and what is left in the output
  # folder. Under SIGHUP, TARGET exists beforehand and must survive whole.
  sig_case() {
    local sig=$1 moment=$2 target=$3
    shift 3
    local name="SIG$sig while ${moment/reading/reading the input} of $* -> $target"
    local want=$((128 + $(kill -l "$sig"))) tmp= seen= pid
    rm -rf "$sd"
    mkdir "$sd"
    [ "$sig" = HUP ] && echo old > "$sd/$target"
    if [ "$moment" = reading ]; then
      exec 3<>feed # held open, read and write, so the input never ends
      head -c 2000 sig.csv >&3
      env --default-signal "$bin" "$@" feed -o "$sd/$target" 2>/dev/null 3>&- &
      pid=$!
      until_open $pid "$work/feed" && seen=yes
    else
      env --default-signal TL_HOLD="$moment" TL_HOLD_FIFO="$work/holdpipe" LD_PRELOAD="$preload" \
        "$bin" "$@" sig.csv -o "$sd/$target" 2>/dev/null 3>&- &
      pid=$!
      tmp=$(timeout 60 cat holdpipe) && [ -e "$tmp" ] && seen=yes
      # Being written: some of the output is in the file already.
      [ "$moment" = fclose ] && [ "$target" != x.txt ] && [ ! -s "$tmp" ] && seen=
    fi
    if [ -z "$seen" ]; then
      kill -9 $pid 2>/dev/null
      wait $pid 2>/dev/null
      not_ok "$name" "never reached the moment (temporary file: '$tmp')"
      exec 3>&-
      return
    fi
    kill -"$sig" $pid
    finish $pid 2>/dev/null
    exec 3>&-
    local left
    left=$(ls -A "$sd")
    if [ $rc != $want ]; then
      not_ok "$name" "exit status $rc, want $want"
    elif [ "$sig" = HUP ] && { [ "$left" != "$target" ] || [ "$(cat "$sd/$target")" != old ]; }; then
      not_ok "$name" "the old file did not survive whole: $left"
    elif [ "$sig" != HUP ] && [ -n "$left" ]; then
      not_ok "$name" "left behind: $left"
    else
      ok "$name"
    fi
  }

  for sig in INT TERM HUP; do
    for moment in reading fdopen fclose rename; do
      sig_case $sig $moment x.png render
      sig_case $sig $moment x.txt render -T txt
      sig_case $sig $moment x.json convert
    done
  done
  # Every other signal that ends a program by default, mid-write.
  for sig in QUIT PIPE ALRM USR1 USR2 XCPU XFSZ; do
    sig_case $sig fclose x.svg render
  done

  # A file size limit reached while writing: the kernel's SIGXFSZ.
  rm -rf "$sd"
  mkdir "$sd"
  { (ulimit -f 8; exec "$bin" render sig.csv -o "$sd/x.png"); rc=$?; } 2>/dev/null
  [ $rc = $((128 + $(kill -l XFSZ))) ] && [ -z "$(ls -A "$sd")" ] \
    && ok "a file size limit (ulimit -f) hit mid-write leaves no temporary file" \
    || not_ok "a file size limit (ulimit -f) hit mid-write leaves no temporary file" "rc=$rc left: $(ls -A "$sd")"

  # A signal ignored on entry (nohup, a shell's background SIGINT) stays
  # ignored: the command carries on and writes its output.
  rm -rf "$sd"
  mkdir "$sd"
  exec 3<>feed
  head -c 2000 sig.csv >&3
  env --default-signal --ignore-signal=HUP "$bin" render feed -o "$sd/x.png" 2>/dev/null 3>&- &
  pid=$!
  if until_open $pid "$work/feed"; then
    kill -HUP $pid
    tail -c +2001 sig.csv >&3
    exec 3>&-
    finish $pid 2>/dev/null
    [ $rc = 0 ] && [ "$(ls -A "$sd")" = x.png ] && [ "$(head -c 4 "$sd/x.png" | od -An -c | tr -d ' ')" = 211PNG ] \
      && ok "SIGHUP ignored on entry (nohup) stays ignored" \
      || not_ok "SIGHUP ignored on entry (nohup) stays ignored" "rc=$rc left: $(ls -A "$sd")"
  else
    exec 3>&-
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    not_ok "SIGHUP ignored on entry (nohup) stays ignored" "the input was never opened"
  fi
  rm -rf "$sd" sig.csv holdpipe feed

  # An input that shrinks while it is read (a log truncated or rewritten in
  # place): read through a mapping, it raises SIGBUS past its new end. One
  # line naming it, exit 1, nothing written. tests/hold.c stops the program
  # once the file is mapped, before any of it is read, until the file has
  # been cut. Samples on two threads (over 4 MB) and spans on one, the output
  # replacing a file and new.
  mkfifo mapped.fifo mapped.go
  for form in samples spans; do
    if [ $form = samples ]; then
      awk 'BEGIN { print "job,t"; for (i = 0; i < 400000; i++) printf "%d,%d.5\n", i % 4, i }' > shrink.csv
    else
      awk 'BEGIN { print "start,stop"; for (i = 0; i < 3000; i++) printf "%d,%d\n", i, i + 1 }' > shrink.csv
    fi
    rm -rf "$out"; mkdir -p "$out"
    [ $form = spans ] && echo old > "$out/x.csv"
    TL_HOLD=mapped TL_HOLD_FIFO=$work/mapped.fifo TL_HOLD_GO=$work/mapped.go LD_PRELOAD="$preload" \
      "$bin" convert shrink.csv -o "$out/x.csv" 2>shrink.err &
    pid=$!
    if [ "$(timeout 60 head -n 1 mapped.fifo)" = mapped ]; then
      truncate -s "$(getconf PAGESIZE)" shrink.csv # a page's end: past it, no page
      timeout 60 sh -c 'echo go > mapped.go'
    fi
    finish $pid 2>/dev/null
    want="timeline: shrink.csv: the file shrank while it was read (truncated or rewritten?)"
    left=$(ls -A "$out")
    kept=
    if [ $form = samples ]; then
      [ -z "$left" ] && kept=yes
    else
      [ "$left" = x.csv ] && [ "$(cat "$out/x.csv")" = old ] && kept=yes
    fi
    [ $rc = 1 ] && [ "$(cat shrink.err)" = "$want" ] && [ -n "$kept" ] \
      && ok "an input cut while it is read ($form): one line, exit 1, nothing written" \
      || not_ok "an input cut while it is read ($form)" "rc=$rc err: $(head -c 300 shrink.err) left: $left"
  done
  rm -f mapped.fifo mapped.go shrink.csv shrink.err
fi

# ---- run -o: checked before any job runs ----
# No job may start: the runner writes no event at all.
TIMELINE_EVENTS=$work/refused.events refused "run -o into a missing folder" 1 \
  "timeline: $out/missing/r.csv: cannot create a file in $out/missing: No such file or directory" \
  tl run --workload sleep --latency 2000 --jobs 2 -o "$out/missing/r.csv"
[ ! -s "$work/refused.events" ] && ok "run -o refused before any job started" \
  || not_ok "run -o refused before any job started" "$(head -3 "$work/refused.events")"
refused "run -o a folder" 1 "timeline: $out: is a directory" tl run --jobs 1 -o "$out"
refused "run --plot into a missing folder" 1 \
  "timeline: $out/no/r.png: cannot create a file in $out/no: No such file or directory" \
  tl run --jobs 1 -o "$out/r.csv" --plot "$out/no/r.png"
refused "run -o and --plot the same file" 2 \
  "timeline: run: --plot and -o name the same file '$out/r.svg' (try 'timeline help run')" \
  tl run --jobs 1 -o "$out/r.svg" --format csv --plot "$out/r.svg"
tl run --workload sleep --latency 1 --jobs 4 --workers 2 --modes threads -o pipe.csv >/dev/null && [ "$(stat -c %a pipe.csv)" = 644 ] \
  && ok "run -o writes a readable file" || not_ok "run -o writes a readable file"

# ---- the runner under stress ----
# Every wait below is on an event the runner wrote (TIMELINE_EVENTS) or on a
# state that must come, each with a deadline; jobs that must be running when
# a worker is killed last until their worker is gone, by construction.
source "$tests/cli/wait.sh"
# A job command that returns at once, except for the jobs its pattern names,
# which wait for their worker process to be gone.
hold() { echo "case {} in $1) while kill -0 \$PPID 2>/dev/null; do sleep 0.05; done;; esac"; }

if [ -z "$wrap" ]; then
  "$bin" run --workload sleep --latency 1 --jobs 10000 --workers 64 --modes threads,processes -o stress.csv >/dev/null
  rc=$?
  got=$(awk -F, '$1 == "span" && $7 == 0 { n[$2]++; if (!seen[$2 "," $3]++) u[$2]++; if ($4 < 0 || $4 > 63) bad++ }
    END { printf "%d %d %d %d %d", n["threads"], u["threads"], n["processes"], u["processes"], bad }' stress.csv)
  [ $rc = 0 ] && [ "$got" = "10000 10000 10000 10000 0" ] \
    && ok "10 000 jobs on 64 workers, threads and processes: every span, once, on one of the 64" \
    || not_ok "10 000 jobs on 64 workers" "rc=$rc spans, distinct jobs (threads, processes), bad workers: $got"

  # Kill 5 workers in the middle of a job: jobs 0-4 last until their worker dies.
  ev=$work/killed.events
  TIMELINE_EVENTS=$ev "$bin" run --workload exec --jobs 2000 --workers 64 -o killed.csv -- sh -c "$(hold '[0-4]')" >/dev/null 2>&1 &
  pid=$!
  kids=
  if wait_lines "$ev" '^start processes [0-4] ' 5; then
    kids=$(event_pids "$ev" '^start processes [0-4] ')
    kill -9 $kids
  else
    kill -9 $pid
  fi
  wait $pid; rc=$?
  got=$(awk -F, '$1 == "span" { n++; s[$7]++ } $1 == "span" && $3 < 5 { k = k $7 " " } END { printf "%d %d %d %s", n, s["0"], s["SIGKILL"], k }' killed.csv 2>/dev/null)
  [ $rc = 3 ] && [ "$got" = "2000 1995 5 SIGKILL SIGKILL SIGKILL SIGKILL SIGKILL " ] \
    && ok "5 of 64 workers killed with SIGKILL: their jobs recorded, the rest finish" \
    || not_ok "5 workers killed with SIGKILL" "rc=$rc spans, ok, killed, jobs 0-4: $got (killed pids: $kids)"

  # Workers killed as soon as they exist, before they reach the start line:
  # the others must not wait for them. Whenever the kills land, every job is
  # recorded or counted; a run that has not ended after 120 s hung.
  hung=0 lost=0
  for _ in $(seq 10); do
    "$bin" run --workload sleep --latency 20 --jobs 200 --workers 64 --modes processes -o early.csv >/dev/null 2>&1 &
    pid=$!
    # The deadline: its sleep must not hold the test's output open after it.
    (sleep 120; kill -9 $pid 2>/dev/null) >/dev/null 2>&1 &
    watchdog=$!
    k=0
    for _ in $(seq 3000); do
      kill -0 $pid 2>/dev/null || break
      all=$(cat /proc/$pid/task/*/children 2>/dev/null)
      [ -n "$all" ] && { kill -9 $all 2>/dev/null; k=$((k + 1)); [ $k -ge 3 ] && break; }
    done
    wait $pid; rc=$?
    pkill -P $watchdog sleep; kill $watchdog 2>/dev/null; wait $watchdog 2>/dev/null
    [ $rc = 137 ] && hung=$((hung + 1))
    # Every job is in the file, or said never to have run (all 64 killed).
    spans=$(awk -F, '$1 == "span" && ($7 == 0 || $7 == "SIGKILL")' early.csv 2>/dev/null | wc -l)
    never=$(sed -n 's/^# jobs_not_run: //p' early.csv 2>/dev/null)
    [ $((spans + ${never:-0})) = 200 ] || lost=$((lost + 1))
    rm -f early.csv
  done
  [ $hung = 0 ] && [ $lost = 0 ] && ok "workers killed before the start: the pool finishes, every job recorded or counted" \
    || not_ok "workers killed before the start" "$hung of 10 runs hung, $lost lost jobs"

  # Every worker killed in its first job: the jobs left are counted, not dropped.
  ev=$work/alldead.events
  TIMELINE_EVENTS=$ev "$bin" run --workload exec --jobs 50 --workers 2 -o alldead.csv -- sh -c "$(hold '0|1')" >/dev/null 2>alldead.err &
  pid=$!
  if wait_lines "$ev" '^start processes [01] ' 2; then
    kill -9 $(event_pids "$ev" '^start processes [01] ')
  else
    kill -9 $pid
  fi
  wait $pid; rc=$?
  got=$(awk -F, '$1 == "span" { print $7 }' alldead.csv | tr '\n' ' ')
  [ $rc = 3 ] && [ "$got" = "SIGKILL SIGKILL " ] \
    && [ "$(cat alldead.err)" = "timeline: run: 50 jobs failed; 48 of them never ran: every worker process died" ] \
    && ok "every worker killed: 2 jobs killed, 48 said never to have run" \
    || not_ok "every worker killed" "rc=$rc spans: $got; $(cat alldead.err)"

  # The pool killed outright: no worker is left behind. Jobs of 10 minutes,
  # one per worker: all 64 are in a job when the pool dies.
  ev=$work/orphans.events
  TIMELINE_EVENTS=$ev "$bin" run --workload sleep --latency 600000 --jobs 64 --workers 64 --modes processes -o orphans.csv >/dev/null 2>&1 &
  pid=$!
  wait_lines "$ev" '^start processes ' 64
  all=$(event_pids "$ev" '^start processes ')
  kill -9 $pid
  wait $pid 2>/dev/null
  if [ "$(echo $all | wc -w)" = 64 ] && wait_gone $all; then
    ok "a pool killed with SIGKILL leaves no worker behind"
  else
    not_ok "a pool killed with SIGKILL leaves no worker behind" "workers seen: $(echo $all | wc -w)"
    kill -9 $all 2>/dev/null
  fi

  # A worker never runs the parent's signal handlers: none caught at the start line.
  ev=$work/handlers.events
  TIMELINE_EVENTS=$ev "$bin" run --workload sleep --latency 600000 --jobs 2 --workers 2 --modes processes -o handlers.csv >/dev/null 2>&1 &
  pid=$!
  caught=
  if wait_lines "$ev" '^start processes ' 2; then
    for k in $(event_pids "$ev" '^start processes '); do
      caught="$caught $(awk '/^SigCgt:/ {print $2}' /proc/$k/status)"
    done
    parent=$(awk '/^SigCgt:/ {print $2}' /proc/$pid/status)
  fi
  kill -9 $pid; wait $pid 2>/dev/null
  [ "$caught" = " 0000000000000000 0000000000000000" ] && [ "$parent" != 0000000000000000 ] \
    && ok "workers start with every handler reset" \
    || not_ok "workers start with every handler reset" "workers catch:$caught; parent: ${parent:-}"

  # SIGTERM to one worker (not the run): its job failed with SIGTERM, the run goes on.
  ev=$work/term.events
  TIMELINE_EVENTS=$ev "$bin" run --workload exec --jobs 6 --workers 2 -o term.csv -- sh -c "$(hold 0)" >/dev/null 2>term.err &
  pid=$!
  wait_lines "$ev" '^start processes 0 ' 1 && kill -TERM $(event_pids "$ev" '^start processes 0 ')
  wait $pid; rc=$?
  got=$(awk -F, '$1 == "span" { printf "%s ", $7 }' term.csv)
  [ $rc = 3 ] && [ "$got" = "SIGTERM 0 0 0 0 0 " ] && ! grep -q '^# interrupted' term.csv \
    && ok "SIGTERM to a worker: its job failed with SIGTERM, the others ran" \
    || not_ok "SIGTERM to a worker" "rc=$rc statuses: $got $(cat term.err)"
else
  skip "runner stress" "under $wrap"
fi

tap_end
