#!/usr/bin/env bash
# Regenerates the restic golden files in this directory from the real restic binary.
#
#   RESTIC=/usr/bin/restic ./regenerate.sh          # all scenarios (a few minutes: ~0.3 s per restic backup)
#
# Each scenario makes a throwaway repository in a temp dir, creates snapshots with `restic backup --time` in the
# scenario's TZ, then runs `restic forget --dry-run --json` for several flag sets and writes <scenario>.golden:
#   restic <version>            which restic made the file
#   zone <ZoneId>               the TZ the snapshots were made (and forget was run) in
#   now <instant>               when forget ran (restic's keep-within ignores snapshots after "now")
#   snapshot <id> <time> <host> <tags|->   time as restic recorded it (RFC 3339 with offset)
#   case <flags...>             then `keep <ids...>` and `remove <ids...>` as restic decided (all groups together)
# The Java test (ResticGoldenTest) reads these files; it does not need restic.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec python3 "$here/regenerate.py" "$here" "${RESTIC:-restic}"
