#!/usr/bin/env bash
# Install a build into a scratch folder and check what a user gets: the
# binary, headers, man pages, library and pkg-config file; a program compiled
# against the installed library through pkg-config; every function declared
# in the public headers exported, nothing else. Prints TAP.
#   tests/install.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
source "$src/tests/cli/tap.sh"

if meson install -C "$build" --destdir "$dest" >"$dest.log" 2>&1; then ok "meson install"; else not_ok "meson install" "$(tail -5 "$dest.log")"; fi
rm -f "$dest.log"
prefix=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root=$dest$prefix
for f in bin/timeline include/timeline/timeline.h include/timeline/trace.h include/timeline/io.h \
         include/timeline/error.h share/man/man1/timeline.1 share/man/man3/timeline.3; do
  [ -f "$root/$f" ] && ok "installs $f" || not_ok "installs $f"
done
pc=$(find "$root" -name timeline.pc | head -1)
[ -n "$pc" ] && ok "installs timeline.pc" || not_ok "installs timeline.pc"
lib=$(dirname "$(dirname "$pc")")

grep -q '^\.SH EXIT STATUS' "$root/share/man/man1/timeline.1" && ok "man page has EXIT STATUS" || not_ok "man page has EXIT STATUS"

cat > "$dest/prog.c" <<'C'
#include <timeline/timeline.h>
#include <stdio.h>
#include <string.h>
int main(void) {
	const char csv[] = "mode,start,stop\nthreads,0,1\nthreads,0.5,2\n";
	tl_trace *t = NULL;
	struct tl_error err;
	if (tl_read_mem(csv, strlen(csv), "mem.csv", NULL, &t, &err) != TL_OK) return 1;
	tl_group_stats *st = NULL;
	if (tl_trace_stats(t, &st, &err) != TL_OK) return 1;
	printf("%s %zu %lld\n", tl_trace_group_name(t, 0), st[0].jobs, (long long)st[0].wall);
	tl_trace_free(t);
	return 0;
}
C
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags --libs timeline)
if cc -std=c17 -Wall -Werror "$dest/prog.c" $flags -o "$dest/prog" 2>"$dest/cc.err"; then
  out=$(LD_LIBRARY_PATH=$lib "$dest/prog")
  [ "$out" = "threads 2 2000000000" ] && ok "program built with pkg-config runs" || not_ok "program built with pkg-config runs" "$out"
else
  not_ok "program built with pkg-config compiles" "$(head -5 "$dest/cc.err")"
fi

declared=$(grep -ohE '\btl_[a-z_0-9]+\(' "$src"/include/timeline/*.h | tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$lib"/libtimeline.so | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort -u)
if [ "$declared" = "$exported" ]; then
  ok "exports exactly the public functions"
else
  not_ok "exports exactly the public functions" "$(diff <(echo "$declared") <(echo "$exported") | head -10)"
fi
tap_end
