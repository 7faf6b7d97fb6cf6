# Shared by scripts/test, scripts/demo and scripts/fuzz: install what is
# missing, configure and build. Source it; do not run it.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Packages every build needs; callers may add their own.
base_packages=(meson ninja-build pkg-config gcc libc6-dev libcmocka-dev
  libcairo2-dev libpango1.0-dev libpng-dev libcjson-dev libxml2-dev zlib1g-dev libzstd-dev liblzma-dev
  fonts-dejavu-core fonts-noto-cjk)

say() { printf '%s\n' "$*" >&2; }

# Install the named Debian packages that are not installed yet; silent when
# nothing is missing. apt-get update runs only when something must be installed.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing: ${missing[*]}"
  local sudo=
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null || { say "apt-get update failed"; return 1; }
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { say "apt-get install ${missing[*]} failed"; return 1; }
}

# configure DIR [meson options...]: set up DIR once, reconfigure when options change.
configure() {
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null || return 1
  else
    meson setup "$dir" "$@" >/dev/null || { cat "$dir/meson-logs/meson-log.txt" | tail -30 >&2; return 1; }
  fi
}

build() {
  ninja -C "$1" >/dev/null 2>"$1/ninja.err" || {
    ninja -C "$1" 2>&1 | tail -40 >&2
    return 1
  }
}

# The libFuzzer build: clang, ASan+UBSan, every target under build/fuzz/tests/fuzz.
fuzz_build() {
  CC=clang configure build/fuzz -Dfuzz=true -Dtests=false -Dbench=false \
    -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false \
    && build build/fuzz
}

fuzz_targets() {
  local t
  for t in "$top"/build/fuzz/tests/fuzz/fuzz_*; do
    [ -f "$t" ] && [ -x "$t" ] && basename "$t"
  done
}

# fuzz_run NAME SECONDS [libFuzzer options...]: fuzz one target, its corpus
# kept in build/fuzz/corpus-NAME and seeded from tests/data. Crashing inputs
# land in build/fuzz/findings/. Returns non-zero on a finding; the log is
# build/fuzz/NAME.log.
fuzz_run() {
  local name=$1 seconds=$2
  shift 2
  local corpus=$top/build/fuzz/corpus-$name
  mkdir -p "$corpus" "$top/build/fuzz/findings"
  cp "$top"/tests/data/good/* "$top"/tests/data/bad/* "$top"/tests/data/fuzz/* "$corpus"/ 2>/dev/null
  rm -f "$corpus"/*.expect
  local dict=$top/tests/fuzz/text.dict
  case $name in fuzz_chrome | fuzz_hyperfine | fuzz_spark | fuzz_records) dict=$top/tests/fuzz/json.dict ;; esac
  # Pango and glib keep caches that LeakSanitizer reports on some long runs,
  # without symbols to suppress them by; our own allocations in the renderer
  # are leak-checked by the ASan run of the unit and CLI tests instead.
  local leaks=1
  [ "$name" = fuzz_render ] && leaks=0
  ASAN_OPTIONS=detect_leaks=$leaks UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0 \
    "$top/build/fuzz/tests/fuzz/$name" -detect_leaks=$leaks -max_total_time="$seconds" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -dict="$dict" \
    -artifact_prefix="$top/build/fuzz/findings/$name-" "$@" "$corpus" \
    >"$top/build/fuzz/$name.log" 2>&1
}

# One line about a finished run: runs, seconds, corpus size.
fuzz_summary() {
  local log=$top/build/fuzz/$1.log
  printf '%s runs in %s s, corpus %s inputs' \
    "$(grep -Eo '^stat::number_of_executed_units: [0-9]+' "$log" | grep -Eo '[0-9]+$')" \
    "$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | grep -Eo '[0-9]+ second' | grep -Eo '[0-9]+')" \
    "$(find "$top/build/fuzz/corpus-$1" -type f | wc -l)"
}
