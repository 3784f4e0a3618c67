#!/usr/bin/env bash
# The smallest -Xmx under which every step completes: init, first backup, unchanged backup, restore,
# check --read-data, forget + prune, with the reference CLI on a data folder.
# Usage: bench/heap-floor.sh DATA_DIR "256 128 64 48 32"   (heaps in MiB; default as shown)
# Prints one line per heap and step: heap, step, exit code, seconds, peak RSS (KiB) from /usr/bin/time.
set -u
DATA=${1:?data folder}
HEAPS=${2:-"256 128 64 48 32"}
JAR=$(dirname "$0")/../backup-examples/target/backup.jar
WORK=$(mktemp -d /tmp/heap-floor.XXXXXX)
export BACKUP_PASSWORD=heap-floor
for h in $HEAPS; do
  repo=$WORK/repo-$h; out=$WORK/restore-$h
  step() {
    local name=$1; shift
    local t0=$(date +%s.%N)
    /usr/bin/time -f %M -o "$WORK/rss" java -Xmx${h}m -jar "$JAR" -r "$repo" "$@" >"$WORK/log-$h-$name" 2>&1
    local rc=$?
    printf '%s\t%s\t%s\t%.1f\t%s\n' "$h" "$name" "$rc" "$(echo "$(date +%s.%N) - $t0" | bc)" "$(tail -1 "$WORK/rss")"
    [ $rc = 0 ] || grep -m3 -E "Error|Exception|error" "$WORK/log-$h-$name" | sed 's/^/\t/'
    return $rc
  }
  step init init &&
  step backup1 backup "$DATA" &&
  step backup2 backup "$DATA" &&
  step restore restore latest --target "$out" &&
  step check check --read-data &&
  step prune forget --keep-last 1 --prune
  rm -rf "$repo" "$out"
done
rm -rf "$WORK"
