#!/usr/bin/env bash
# Index scale: open time, heap per blob and lookup rate of a repository whose index lists N synthetic blobs.
#   bench/index-scale/run.sh 20000000 [DIR] [-Xmx...]
# Needs the CLI jar (mvn -B -q -DskipTests package). The repository (index files only, ~75 bytes per blob on disk)
# is generated on the first run in DIR (default /tmp/index-scale-N) and reused after.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N=${1:?number of blobs}
DIR=${2:-/tmp/index-scale-$N}
HEAP=${3:--Xmx16g}
java "$HEAP" -XX:+UseG1GC -cp "$ROOT/backup-examples/target/backup.jar" "$ROOT/bench/index-scale/IndexScale.java" "$N" "$DIR"
