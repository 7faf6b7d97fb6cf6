# TAP output for the shell tests (tests/cli/*.sh, tests/install.sh), and the
# count of a TAP stream's results (scripts/test). Source it; call ok, not_ok,
# skip, then tap_end.
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
# not_ok NAME [DETAIL...]: each detail line printed as a TAP comment.
not_ok() {
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
  shift
  for line in "$@"; do echo "# $line"; done
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
tap_end() { echo "1..$n"; [ $failed -eq 0 ]; }
# tap_count TEXT: the ok and the not ok lines of a TAP stream, as "PASSED FAILED".
tap_count() { echo "$(grep -c '^ok ' <<<"$1") $(grep -c '^not ok ' <<<"$1")"; }
