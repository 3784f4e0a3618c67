#!/usr/bin/env bash
# Builds backup-core, builds the JMH jar (bench/jmh, not part of the root reactor) and runs the micro-benchmarks
# with short settings sized for a 2-core machine. Prints the machine, each run as a Markdown table in MB/s and,
# with RUNS > 1, a table picking for each benchmark the run with the smallest relative error.
#
#   bench/run-jmh.sh                      # everything, RUNS=2
#   RUNS=1 bench/run-jmh.sh 'ZstdBench'   # extra arguments go to JMH (benchmark regex, -p data=text, -prof gc...)
#
# Environment: RUNS (default 2), OUT (default /tmp/backup4j-jmh: runN.json, runN.md, best.md, machine.txt),
#              JMH_OPTS (default "-f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 -prof dev.backup4j.bench.CpuTimeProfiler";
#              the profiler adds "MB per CPU-s", steadier than wall-clock MB/s on a shared machine), SKIP_BUILD=1 to reuse the built jar,
#              MIN_IDLE (percent, default 0) and MAX_WAIT (seconds, default 60): on a shared machine, wait before
#              each benchmark until the CPU is at least MIN_IDLE % idle, for at most MAX_WAIT seconds.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-2}"
OUT="${OUT:-/tmp/backup4j-jmh}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 -prof dev.backup4j.bench.CpuTimeProfiler}"
MIN_IDLE="${MIN_IDLE:-0}"
MAX_WAIT="${MAX_WAIT:-60}"
JAR="$ROOT/bench/jmh/target/benchmarks.jar"
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # backup-core (and the parent POM it inherits from) into ~/.m2. Others may be mid-edit on backup-core:
  # retry a few times a minute apart before giving up.
  for attempt in 1 2 3 4 5; do
    if (cd "$ROOT" && mvn -B -q -N install && mvn -B -q -pl backup-core install -DskipTests); then
      break
    fi
    if [[ $attempt == 5 ]]; then
      echo "backup-core does not build; giving up" >&2
      exit 1
    fi
    echo "backup-core build failed (attempt $attempt); retrying in 60 s" >&2
    sleep 60
  done
  mvn -B -q -f "$ROOT/bench/jmh/pom.xml" package
fi

{
  echo "nproc: $(nproc)"
  lscpu | grep -m1 'Model name' | sed 's/  */ /g'
  free -g | head -2
  java -version 2>&1 | head -3
  flags=$(grep -m1 '^flags' /proc/cpuinfo)
  for f in aes sha_ni vaes avx2 avx512f; do
    if grep -qw "$f" <<<"$flags"; then echo "cpu flag $f: yes"; else echo "cpu flag $f: no"; fi
  done
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -cp "$JAR" dev.backup4j.bench.Report --runs "$RUNS" --out "$OUT" \
  --min-idle "$MIN_IDLE" --max-wait "$MAX_WAIT" $JMH_OPTS "$@" 2>&1 | tee "$OUT/console.txt"
echo
echo "Results: $OUT"
