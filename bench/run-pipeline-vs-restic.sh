#!/usr/bin/env bash
# Times the whole backup of one large random file, restic vs backup4j, on this machine.
# - restic (RESTIC, default /usr/bin/restic): `restic init` of a fresh local repo, then
#   `/usr/bin/time -v restic backup --no-cache FILE` (restic chunks, hashes, compresses, encrypts and writes
#   concurrently: it may use every core).
# - backup4j: dev.backup4j.bench.BackupFile (from bench/jmh's jar) into a fresh local repo through
#   Repository.at(Backends.local(dir)).password("x").kdf(KdfParams.insecureFastForTests()).init()
#   then .backup().path(FILE).run(): the library's pipeline is single-threaded today.
# Each tool runs REPEAT times (default 2), each time into a fresh repository; the file is read once first so
# both find it in the page cache. Needs bench/run-jmh.sh's jar (built here unless SKIP_BUILD=1).
# JAR overrides the jar (e.g. a copy built against an older backup-core).
#
#   bench/run-pipeline-vs-restic.sh            # 512 MiB file in /tmp
#   SIZE_MIB=256 REPEAT=3 bench/run-pipeline-vs-restic.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RESTIC="${RESTIC:-/usr/bin/restic}"
SIZE_MIB="${SIZE_MIB:-512}"
REPEAT="${REPEAT:-2}"
WORK="${WORK:-/tmp/backup4j-pipeline}"
JAR="${JAR:-$ROOT/bench/jmh/target/benchmarks.jar}"
FILE="$WORK/random-${SIZE_MIB}m.bin"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$ROOT" && mvn -B -q -N install && mvn -B -q -pl backup-core install -DskipTests)
  mvn -B -q -f "$ROOT/bench/jmh/pom.xml" package
fi
mkdir -p "$WORK"
if [[ ! -f "$FILE" || $(stat -c %s "$FILE") != $((SIZE_MIB * 1024 * 1024)) ]]; then
  head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom >"$FILE"
fi
cat "$FILE" >/dev/null # into the page cache
"$RESTIC" version

export RESTIC_PASSWORD=x
for i in $(seq 1 "$REPEAT"); do
  echo "== restic run $i (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  rm -rf "$WORK/restic-repo"
  "$RESTIC" init --repo "$WORK/restic-repo" >/dev/null
  /usr/bin/time -v "$RESTIC" --repo "$WORK/restic-repo" backup --no-cache "$FILE" 2>&1 |
    grep -E 'Added to the repository|processed|User time|System time|Percent of CPU|Elapsed|Maximum resident'
done
for i in $(seq 1 "$REPEAT"); do
  echo "== backup4j run $i (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  /usr/bin/time -v java -cp "$JAR" dev.backup4j.bench.BackupFile "$FILE" "$WORK/backup4j-repo" 1 2>&1 |
    grep -E '^run |User time|System time|Percent of CPU|Elapsed|Maximum resident'
done
rm -rf "$WORK/restic-repo" "$WORK/backup4j-repo"
