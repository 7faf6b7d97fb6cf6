# Shared by scripts/test, scripts/demo and scripts/fuzz: install what is
# missing, configure and build. Source it; do not run it.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Packages every build needs; callers may add their own.
base_packages=(meson ninja-build pkg-config gcc libc6-dev libcmocka-dev
  libcairo2-dev libpango1.0-dev libpng-dev libcjson-dev fonts-dejavu-core fonts-noto-cjk)

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
