# Waiting on events, never on time. Source it.
#
# A test that needs the program to reach a point waits for a line the program
# writes when it gets there (timeline run writes its events to the file named
# by TIMELINE_EVENTS), with a deadline that fails loudly: a slow machine makes
# the test slower, never wrong.

# wait_lines FILE REGEX COUNT [SECONDS]: until FILE has COUNT lines matching
# REGEX (extended); non-zero, with a line on stderr, after SECONDS (default 120).
wait_lines() {
  local file=$1 re=$2 count=$3 limit=${4:-120} got
  local end=$(($(date +%s) + limit))
  for (( ; ; )); do
    # One look at the file: a missing file counts no lines.
    got=$(grep -cE -- "$re" "$file" 2>/dev/null)
    [ "${got:-0}" -ge "$count" ] && return 0
    if [ "$(date +%s)" -ge "$end" ]; then
      echo "wait_lines: $got of $count lines matching '$re' in $file after ${limit}s" >&2
      return 1
    fi
    sleep 0.02
  done
}

# wait_gone PID... : until none of the processes is alive (a zombie is dead);
# non-zero after 60 seconds, naming the ones left.
wait_gone() {
  local end=$(($(date +%s) + 60)) p left
  while :; do
    left=
    for p in "$@"; do
      st=$(awk '{print $3}' /proc/"$p"/stat 2>/dev/null)
      [ -n "$st" ] && [ "$st" != Z ] && left="$left $p"
    done
    [ -z "$left" ] && return 0
    if [ "$(date +%s)" -ge "$end" ]; then
      echo "wait_gone: still alive after 60s:$left" >&2
      return 1
    fi
    sleep 0.02
  done
}

# event_pids FILE REGEX: the PID (last word) of each line matching REGEX.
event_pids() {
  grep -E -- "$2" "$1" | awk '{print $NF}' | sort -u | tr '\n' ' '
}
