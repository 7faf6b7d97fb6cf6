#!/usr/bin/env bash
# Which JSON library reads Chrome traces best: each parses the same ~100 MB
# trace (generated) as one document; prints time and peak RSS per library.
#   bench/json-libs/run.sh
set -eu
cd "$(dirname "$0")"
source ../../scripts/lib.sh
ensure_packages gcc libjansson-dev libjson-c-dev libcjson-dev time python3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir/big.json" <<'PY'
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    f.write('{"traceEvents":[\n')
    n = size = 0
    while size < 100 * 1024 * 1024:
        s = '{"pid":1,"tid":%d,"ph":"X","ts":%.3f,"dur":%.3f,"name":"Source","cat":"c","args":{"detail":"file%d.h"}}' % (n % 8, n * 1.5, random.random() * 100, n % 1000)
        f.write((",\n" if n else "") + s)
        size += len(s) + 2
        n += 1
    f.write("\n]}\n")
PY
for lib in jansson json-c cjson; do
  pc=$lib; [ $lib = cjson ] && pc=libcjson
  gcc -O2 -o "$dir/$lib" $lib.c $(pkg-config --cflags --libs $pc)
  for r in 1 2 3; do /usr/bin/time -f '   peak %M KB' "$dir/$lib" "$dir/big.json"; done
done
