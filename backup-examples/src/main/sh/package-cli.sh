#!/bin/sh
# Build step (backup-examples, package phase, after the shaded jar): installs the launcher as target/backup and makes
# target/backup.jsa, the class-data-sharing archive the launcher uses, from a training run of `backup.jar demo` (init, backup, incremental backup, snapshots, forget, prune,
# restore, verify), and records which JVM made it. Fails the build only if the launcher's files cannot be installed
# or its compiler directives do not parse; without an archive the launcher simply starts the JVM without one.
# usage: package-cli.sh JAVA_HOME TARGET_DIR
java=$(readlink -f "$1/bin/java")
target=$2
cp "$(dirname "$0")/backup" "$target/backup" && chmod +x "$target/backup" || exit 1
# the compiler directives the launcher passes: a file the JVM cannot parse would stop every command, so fail here
cp "$(dirname "$0")/backup.jit.json" "$target/backup.jit.json" || exit 1
if ! "$java" -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile="$target/backup.jit.json" -version \
     > "$target/backup.jit.log" 2>&1; then
  cat "$target/backup.jit.log"
  echo "ERROR: $target/backup.jit.json is not valid compiler directives for $java"
  exit 1
fi
rm -rf "$target/cds-training" "$target/backup.jsa" "$target/backup.jsa.jvm"
if "$java" -XX:ArchiveClassesAtExit="$target/backup.jsa" -Xlog:disable -Xlog:all=error:stderr \
     -jar "$target/backup.jar" demo "$target/cds-training" > "$target/cds-training.log" 2>&1 \
   && [ -s "$target/backup.jsa" ]; then
  echo "$java" > "$target/backup.jsa.jvm"
  echo "class-data-sharing archive: $target/backup.jsa (for $java)"
else
  rm -f "$target/backup.jsa"
  echo "WARNING: no class-data-sharing archive (training run failed, see $target/cds-training.log); the launcher will run without one"
fi
rm -rf "$target/cds-training"
exit 0
