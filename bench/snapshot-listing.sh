#!/usr/bin/env bash
# Times Repository.snapshots() and a one-file backup in a local repository of 3,001 snapshots, for the code of this
# checkout and, with BEFORE=<commit>, for that commit too (exported to a temporary directory and built there; nothing
# is installed into ~/.m2). The repository is made once per code version under $WORK (each version writes its own,
# with the same snapshots). See dev.backup4j.core.SnapshotListingBenchmark.
#
#   bench/snapshot-listing.sh                       # this checkout
#   BEFORE=c2b76a1 RUNS=3 bench/snapshot-listing.sh # and the code before the snapshot cache
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/backup4j-listing}"
SNAPSHOTS="${SNAPSHOTS:-3001}"
RUNS="${RUNS:-3}"
mkdir -p "$WORK"

build() { # $1 = source tree; prints the class path
  (cd "$1" && mvn -B -q -o -pl backup-core -am test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null)
  echo "$1/backup-core/target/classes:$1/backup-core/target/test-classes:$(cat "$1/backup-core/target/cp.txt")"
}

run() { # $1 = label, $2 = class path
  for i in $(seq 1 "$RUNS"); do
    echo "== $1 run $i (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$2" dev.backup4j.core.SnapshotListingBenchmark \
        "$WORK/repo-$1" "$SNAPSHOTS" 10 | grep '^RESULT'
  done
}

if [[ -n "${BEFORE:-}" ]]; then
  OLD="$WORK/src-$BEFORE"
  if [[ ! -d "$OLD" ]]; then
    mkdir -p "$OLD"
    git -C "$ROOT" archive "$BEFORE" | tar -x -C "$OLD"
  fi
  cp "$ROOT/backup-core/src/test/java/dev/backup4j/core/SnapshotListingBenchmark.java" \
     "$OLD/backup-core/src/test/java/dev/backup4j/core/"
  run "before-$BEFORE" "$(build "$OLD")"
fi
run "after" "$(build "$ROOT")"
