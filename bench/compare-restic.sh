#!/usr/bin/env bash
# Runs the shared benchmark kit (../shared/bench) for restic and our reference CLI, interleaved, and prints the
# summary tables. Usage: bench/compare-restic.sh [REPS]   (default 1; the kit's README says 3 for stable figures)
# Needs: restic (apt-get install -y restic), python3, GNU time; builds the data set on first use (~1.4 GB).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kit=${BENCH_KIT:-$here/../shared/bench}
# OURS: the CLI launcher (class-data-sharing archive, serial collector, default heap size); OURS="java -jar
# backup-examples/target/backup.jar" measures the bare jar on the JVM's defaults instead.
launcher=$here/backup-examples/target/backup
[ -x "$launcher" ] || (cd "$here" && mvn -B -q -DskipTests package)
[ -d "${BENCH_DIR:-/tmp/bench}/data" ] || bash "$kit/build_data.sh"
export OURS="${OURS:-$launcher}"
export QUIET_MAX=${QUIET_MAX:-60}
TOOLS="${TOOLS:-restic ours}" FROM=1 TO="${1:-1}" bash "$kit/run_all.sh"
python3 "$kit/summarize.py"
