#!/usr/bin/env bash
# The gallery's hard shapes (scripts/gallery-data.py) drawn as PDFs with
# default options and checked from the PDF's text boxes (pdftotext -bbox):
# every shape is drawn; every panel title and the first and last row label
# are there whole; no text is squeezed. pango keeps an ellipsized string's
# whole text but gives it a box too small for it, so pdftotext reports a
# "word" with blanks inside, or letters narrower than letters are.
#   tests/cli/layout.sh path/to/timeline path/to/source-tree
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$2" && pwd)
source "$(dirname "$0")/tap.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$top/scripts/gallery-data.py" "$work/in"

# squeezed FILE.pdf: the words whose box is too small for their letters.
squeezed() {
  pdftotext -bbox "$1" - | python3 -c '
import re, sys
for m in re.finditer(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"([\d.]+)\">([^<]*)</word>", sys.stdin.read()):
    x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
    word = m.group(5)
    w, h = x1 - x0, y1 - y0
    # A rotated word (the y axis label) is tall and narrow: its length is its height.
    length = max(w, h) if h > 2.5 * w and len(word) > 2 else w
    if " " in word or (len(word) >= 4 and length < 0.2 * len(word) * min(w, h)):
        print("%r in a %.1f x %.1f box" % (word, w, h))
'
}

for input in one-job.csv jobs-500.csv workers-40.csv panels-9.csv hours-3.csv epoch.json \
  flame.json bazel-like.json gpu-cpu.json long-labels.csv cjk.csv; do
  name=${input%.*}
  # cairo 1.16's PDF font subsetting keeps one array of a CJK font's glyphs
  # (768 bytes, inside libcairo): not a leak of timeline's, so LeakSanitizer
  # is told to look away for that one drawing only.
  leaks=1
  [ "$name" = cjk ] && leaks=0
  if ! err=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=$leaks" \
    "$bin" render "$work/in/$input" -o "$work/$name.pdf" 2>&1); then
    not_ok "$name: drawn with default options" "$err"
    continue
  fi
  bad=$(squeezed "$work/$name.pdf")
  [ -z "$bad" ] && ok "$name: no text squeezed" || not_ok "$name: no text squeezed" "$bad"
done

# Nine panels: every title whole, and each panel's first and last row labelled.
text=$(pdftotext -layout "$work/panels-9.pdf" - 2>/dev/null)
missing=""
for k in 1 2 3 4 5 6 7 8 9; do
  grep -q "pool of $k" <<<"$text" || missing="$missing 'pool of $k'"
done
[ "$(grep -o 'job 0\b' <<<"$text" | wc -l)" = 9 ] || missing="$missing 'job 0' x9"
[ "$(grep -o 'job 23\b' <<<"$text" | wc -l)" = 9 ] || missing="$missing 'job 23' x9"
[ -z "$missing" ] && ok "nine panels: titles whole, first and last rows labelled" \
  || not_ok "nine panels: titles whole, first and last rows labelled" "missing:$missing"

# Forty workers: a label for each, and the canvas grew for them.
text=$(pdftotext "$work/workers-40.pdf" - 2>/dev/null)
h=$(pdfinfo "$work/workers-40.pdf" 2>/dev/null | awk '/Page size/ { print int($5) }')
[ "$h" -gt 360 ] && ok "forty workers: the page grew past 500 px ($h pt)" \
  || not_ok "forty workers: the page grew past 500 px" "height $h pt"

# A run of hours: the axis reads in clock units, not thousands of seconds.
text=$(pdftotext "$work/hours-3.pdf" - 2>/dev/null)
grep -q '1 h 30 min' <<<"$text" && ! grep -q 'Seconds' <<<"$text" \
  && ok "hours: ticks in hours and minutes" || not_ok "hours: ticks in hours and minutes" "$text"

# An epoch trace: time 0 is said as a date.
text=$(pdftotext "$work/epoch.pdf" - 2>/dev/null)
grep -q 'time 0 = 2025-11-30 ' <<<"$text" && ok "epoch: the origin in a footnote" \
  || not_ok "epoch: the origin in a footnote" "$text"
# SVG: each bar that draws one span carries its hover text, as a <title>
# browsers show; past 5000 bars none; the file stays valid XML.
"$bin" render "$top/samples/cpu-heavy.csv" -o "$work/hover.svg"
titles=$(grep -o '<title>[^<]*</title>' "$work/hover.svg" | wc -l)
first=$(grep -o '<title>[^<]*</title>' "$work/hover.svg" | head -1)
[ "$titles" = 32 ] && [ "$first" = "<title>job 0 · worker 0 · start 2.21 ms · 853 ms · ok</title>" ] \
  && xmllint --noout "$work/hover.svg" && ok "SVG: a hover text per bar ($titles)" \
  || not_ok "SVG: a hover text per bar" "$titles titles; first: $first"
python3 -c 'print("start,stop"); [print("%d,%d.5" % (i, i)) for i in range(6000)]' > "$work/many.csv"
"$bin" render "$work/many.csv" -o "$work/many.svg" --height 20000
[ "$(grep -c 'timeline-hover' "$work/many.svg")" = 0 ] && ok "SVG: no hover texts past 5000 bars" \
  || not_ok "SVG: no hover texts past 5000 bars"
# The text preview takes the image's options: a lane per worker with --rows worker.
out=$(COLUMNS=70 "$bin" render "$top/samples/threads-vs-processes.csv" -T txt --ascii --rows worker \
  | grep -c '^worker [0-3] |')
[ "$out" = 9 ] && ok "text preview: --rows worker draws the image's lanes" \
  || not_ok "text preview: --rows worker draws the image's lanes" "$out rows"
# Names from the input never drive the terminal: control characters become blanks.
printf '[{"ph":"M","pid":1,"name":"process_name","args":{"name":"ev\\u001b[31mil\\ttab"}},{"ph":"X","pid":1,"tid":1,"ts":0,"dur":10}]' > "$work/ctl.json"
out=$("$bin" render "$work/ctl.json" -T txt --ascii | head -1)
[ "$out" = "ev [31mil tab  wall 10.0 us" ] && ok "text preview: no control characters from names" \
  || not_ok "text preview: no control characters from names" "$(printf '%s' "$out" | od -c | head -3)"
# --time-axis clock: a joblog has times of day; beside a CSV of plain seconds there is none for all.
out=$("$bin" render "$top/tests/data/good/joblog-failed.txt" "$top/tests/data/good/minimal.csv" \
  --time-axis clock -o "$work/mixed.png" 2>&1); rc=$?
[ $rc = 2 ] && [ "$out" = "timeline: render: --time-axis clock: the times of $top/tests/data/good/minimal.csv are not dates or times of day, so its groups have no time of day (try 'timeline help render')" ] \
  && [ ! -e "$work/mixed.png" ] && ok "clock axis: refused when an input has no time of day" \
  || not_ok "clock axis: refused when an input has no time of day" "rc=$rc $out"
"$bin" render "$top/tests/data/good/joblog-failed.txt" --time-axis clock -o "$work/clock.pdf" \
  && pdftotext "$work/clock.pdf" - | grep -q 'Time of day (UTC)' && ok "clock axis: a joblog's time of day" \
  || not_ok "clock axis: a joblog's time of day"
# Groups that ran an hour apart keep their times of day (not each moved to the first's).
python3 -c "
b = 1700000000
print('group,job,worker,start,stop')
for j in range(4): print(f'first,{j},{j % 2},{b + j},{b + j + 2}')
for j in range(4): print(f'second,{j},{j % 2},{b + 3600 + j},{b + 3600 + j + 3}')" > "$work/hour.csv"
"$bin" render "$work/hour.csv" --time-axis clock -o "$work/hour.pdf"
out=$(pdftotext "$work/hour.pdf" - | grep -E '^[0-9]{2}:[0-9]{2}$' | sort -u | tr '\n' ' ')
[ "$out" = "22:20 22:30 22:40 22:50 23:00 23:10 " ] && ok "clock axis: groups one after another at their own times of day" \
  || not_ok "clock axis: groups one after another at their own times of day" "$out"
out=$("$bin" render "$work/hour.csv" --time-axis clock --align start -o "$work/hour2.pdf" 2>&1); rc=$?
[ $rc = 2 ] && [ "$out" = "timeline: render: --time-axis clock shows when each group ran: with --align start its groups would not be at their times of day (drop --align, or --align absolute) (try 'timeline help render')" ] \
  && [ ! -e "$work/hour2.pdf" ] && ok "clock axis: --align start refused" || not_ok "clock axis: --align start refused" "rc=$rc $out"
# A clock axis names its zone only when the times name one, and says the date.
printf 'job,start,stop\n0,2024-03-10 09:00:00,2024-03-10 09:30:00\n1,2024-03-10 09:10:00,2024-03-10 10:00:00\n' > "$work/naive.csv"
"$bin" render "$work/naive.csv" --time-axis clock -o "$work/naive.pdf"
out=$(pdftotext "$work/naive.pdf" - | grep -E '^(Time|Date|on |from )' | tr '\n' '|')
[ "$out" = "Time of day|on 2024-03-10, local time|" ] && ok "clock axis: times without a zone are local time" || not_ok "clock axis: times without a zone are local time" "$out"
"$bin" render "$work/naive.csv" -o "$work/naive2.pdf"
out=$(pdftotext "$work/naive2.pdf" - | grep '^time 0')
[ "$out" = "time 0 = 2024-03-10 09:00:00" ] && ok "origin footnote: no UTC for local times" || not_ok "origin footnote: no UTC for local times" "$out"
printf 'job,start,stop\n0,2024-03-10T20:00:00Z,2024-03-11T09:30:00Z\n1,2024-03-11 09:10:00+00:00,2024-03-12 10:00:00 UTC\n' > "$work/days.csv"
"$bin" render "$work/days.csv" --time-axis clock -o "$work/days.pdf"
out=$(pdftotext "$work/days.pdf" - | grep -E '^(Time|Date|on |from |03-11 00:00)' | sort -u | tr '\n' '|')
[ "$out" = "03-11 00:00|Date and time (UTC)|from 2024-03-10 to 2024-03-12, UTC|" ] && ok "clock axis: days apart, dates on the ticks and in the footnote" || not_ok "clock axis: days apart, dates on the ticks and in the footnote" "$out"
# How jobs failed is said in the legend: named kinds, or a colour each with --color-by status.
printf 'job,worker,start,stop,status\n0,a,0,1,0\n1,b,0.5,2,1\n2,a,1,3,timeout\n3,b,2,4,OUT_OF_MEMORY\n4,a,3,4,CANCELLED by 12\n' > "$work/ends.csv"
"$bin" render "$work/ends.csv" -o "$work/ends.pdf"
out=$(pdftotext "$work/ends.pdf" - | grep '^failed')
[ "$out" = "failed (exit, timeout, cancelled, OOM)" ] && ok "legend: the kinds of failure named" || not_ok "legend: the kinds of failure named" "$out"
"$bin" render "$work/ends.csv" --color-by status -o "$work/ends2.pdf"
out=$(pdftotext -layout "$work/ends2.pdf" - | head -3 | tr -s ' ' | sed 's/^ //')
[ "$out" = "ok failed timeout cancelled out of memory" ] && ok "legend: a colour per kind of failure" || not_ok "legend: a colour per kind of failure" "$out"
# --show-wait: queue waits as grey lead-ins, said in the legend.
"$bin" render "$top/tests/data/logs/slurm/sacct-parsable2.txt" --show-wait -o "$work/wait.pdf"
out=$(pdftotext "$work/wait.pdf" - | grep -c '^queue wait$')
[ "$out" = 1 ] && ok "--show-wait: the legend says queue wait" || not_ok "--show-wait: the legend says queue wait" "$out"
"$bin" render "$top/tests/data/logs/slurm/sacct-parsable2.txt" -o "$work/nowait.pdf"
out=$(pdftotext "$work/nowait.pdf" - | grep -c '^queue wait$')
[ "$out" = 0 ] && ok "no queue wait drawn unless asked" || not_ok "no queue wait drawn unless asked" "$out"
tap_end
