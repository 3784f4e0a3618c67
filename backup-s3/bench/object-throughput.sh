#!/usr/bin/env bash
# Object storage vs local disk throughput of the backends (4 MiB packs, write then read back, best of two rounds):
# S3 on S3Proxy in process, REST on `rclone serve restic`, both on loopback.
# Usage, from anywhere:  backup-s3/bench/object-throughput.sh [MiB=256] [threads=4]
set -euo pipefail
cd "$(dirname "$0")/../.."
cp_file=$PWD/backup-s3/target/bench-classpath.txt
# test-compile in the same run, so the sibling modules resolve to their target/classes
mvn -B -q -o test-compile dependency:build-classpath -pl backup-s3 -am -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
cd backup-s3
exec java -cp "target/test-classes:target/classes:../backup-core/target/test-classes:$(cat "$cp_file")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.backup4j.s3.ObjectStorageThroughputBenchmark "$@"
