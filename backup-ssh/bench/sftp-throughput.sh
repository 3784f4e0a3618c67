#!/usr/bin/env bash
# SFTP-on-loopback vs local-disk throughput of the backend (4 MiB packs, write then read back).
# Usage, from the repository root after `mvn -pl backup-ssh verify` (or test-compile):
#   backup-ssh/bench/sftp-throughput.sh [MiB=256] [threads=4]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=target/bench-classpath.txt
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.backup4j.ssh.SftpThroughputBenchmark "$@"
