"""Makes the restic golden files; run it through regenerate.sh (see there for the format)."""
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile

OUT, RESTIC = sys.argv[1], sys.argv[2]

COUNT_CASES = [
    "--keep-last 5", "--keep-hourly 10", "--keep-daily 7", "--keep-weekly 5", "--keep-monthly 4",
    "--keep-yearly 3", "--keep-daily 3 --keep-weekly 2 --keep-monthly 2 --keep-yearly 1",
    "--keep-hourly 100", "--keep-weekly 2 --keep-last 3",
    # Large counts reach back to the oldest parts of each history (year ends, ISO week 53, leap days).
    "--keep-daily 60", "--keep-weekly 40", "--keep-monthly 40", "--keep-yearly 20",
    "--keep-within 10d", "--keep-within 1m", "--keep-within 1y2m3d4h", "--keep-within-hourly 2d",
    "--keep-within-daily 14d", "--keep-within-weekly 2m", "--keep-within-monthly 1y", "--keep-within-yearly 5y",
    "--keep-daily 2 --keep-within-weekly 1m --keep-within 36h",
    "--keep-tag foo", "--keep-tag foo,bar", "--keep-last 2 --keep-tag foo,bar --keep-tag baz --keep-within 3d",
]


def daily(start, days, hour, minute=0, skip=()):
    d0 = dt.datetime.fromisoformat(start)
    return [(d0 + dt.timedelta(days=i)).replace(hour=hour, minute=minute) for i in range(days) if i not in skip]


def scenarios():
    # 1. Brussels across the spring DST change and a month end, with gaps and bursts (several a day).
    s1 = daily("2023-03-10", 30, 23, 30, skip=(3, 4, 11))
    s1 += [dt.datetime(2023, 3, 26, h, 15) for h in (0, 1, 3, 4, 12)]  # the day clocks jump 02:00 -> 03:00
    s1 += [dt.datetime(2023, 4, 15, 0, 5), dt.datetime(2023, 5, 31, 23, 59), dt.datetime(2023, 6, 1, 0, 1)]
    s1 += [dt.datetime(2023, 3, 31, 12, 0), dt.datetime(2023, 10, 29, 2, 30), dt.datetime(2023, 10, 29, 3, 30)]
    yield "brussels-dst", "Europe/Brussels", [(t, "h1", []) for t in s1]
    # 2. Year boundaries and ISO week 53 (2020-W53 runs 2020-12-28..2021-01-03), leap day, years apart.
    s2 = [dt.datetime(2020, 12, 24, 10, 0) + dt.timedelta(days=i) for i in range(12)]
    s2 += [dt.datetime(2019, 12, 28, 18, 0) + dt.timedelta(days=i) for i in range(6)]
    s2 += [dt.datetime(y, m, 15, 6, 0) for y in (2016, 2017, 2018, 2021, 2022) for m in (1, 6, 12)]
    s2 += [dt.datetime(2016, 2, 29, 9, 0), dt.datetime(2024, 2, 29, 9, 0), dt.datetime(2024, 3, 1, 9, 0),
           dt.datetime(2015, 12, 31, 23, 59), dt.datetime(2016, 1, 1, 0, 0)]
    yield "utc-years-week53", "UTC", [(t, "h1", []) for t in s2]
    # 3. New York, hourly around the autumn fall-back (01:xx happens twice) and the spring gap.
    s3 = [dt.datetime(2023, 11, 4, 20, 10) + dt.timedelta(hours=i) for i in range(12)]
    s3 += [dt.datetime(2023, 11, 5, 1, 45), dt.datetime(2023, 3, 12, 1, 30), dt.datetime(2023, 3, 12, 3, 30)]
    s3 += [dt.datetime(2023, 3, 11, 23, 0) + dt.timedelta(hours=5 * i) for i in range(8)]
    s3 += [dt.datetime(2023, 11, 6, 10, 0) + dt.timedelta(days=3 * i) for i in range(10)]
    yield "newyork-hourly", "America/New_York", [(t, "h1", []) for t in s3]
    # 4. Kolkata, two hosts (restic groups by host,paths), tags, and a snapshot dated in the future.
    s4 = []
    for i in range(16):
        t = dt.datetime(2024, 1, 1, 1, 30) + dt.timedelta(days=i, hours=i % 3)
        tags = [["foo"], ["foo", "bar"], [], ["baz"]][i % 4]
        s4.append((t, "web" if i % 2 else "db", tags))
    s4 += [(dt.datetime(2024, 1, 20, 1, 15) + dt.timedelta(hours=7 * i), "db", ["foo"] if i % 3 == 0 else [])
           for i in range(10)]
    s4.append((dt.datetime(2035, 6, 1, 12, 0), "db", []))
    yield "kolkata-hosts-tags", "Asia/Kolkata", s4
    # 5. Sydney (southern DST), month ends and a leap year: keep-within's month arithmetic (31 March - 1 month).
    s5 = [dt.datetime(2024, 1, 31, 22, 0) + dt.timedelta(days=2 * i) for i in range(30)]
    s5 += [dt.datetime(2024, 3, 31, 21, 0), dt.datetime(2024, 2, 29, 21, 0), dt.datetime(2024, 3, 2, 23, 0),
           dt.datetime(2024, 3, 3, 1, 0), dt.datetime(2024, 4, 7, 2, 30), dt.datetime(2024, 4, 7, 1, 30)]
    s5 = sorted(set(s5))
    # Latest snapshot on 31 March so keep-within 1m lands on "31 February" (Go: 2 March, java.time: 29 February).
    s5 = [t for t in s5 if t <= dt.datetime(2024, 3, 31, 21, 0)]
    yield "sydney-month-ends", "Australia/Sydney", [(t, "h1", []) for t in s5]


def run(args, env, capture=True):
    r = subprocess.run(args, env=env, capture_output=capture, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {r.stderr}")
    return r.stdout


def main():
    version = run([RESTIC, "version"], os.environ).strip()
    for name, zone, snaps in scenarios():
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, RESTIC_REPOSITORY=os.path.join(tmp, "repo"), RESTIC_PASSWORD="golden", TZ=zone,
                       RESTIC_CACHE_DIR=os.path.join(tmp, "cache"))
            data = os.path.join(tmp, "data")
            os.makedirs(data)
            with open(os.path.join(data, "f"), "w") as f:
                f.write("golden\n")
            run([RESTIC, "init"], env)
            for t, host, tags in snaps:
                args = [RESTIC, "backup", "-q", "--time", t.strftime("%Y-%m-%d %H:%M:%S"), "--host", host]
                for tag in tags:
                    args += ["--tag", tag]
                run(args + [data], env)
            listed = json.loads(run([RESTIC, "snapshots", "--json"], env))
            now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            lines = [f"restic {version}", f"zone {zone}", f"now {now.isoformat().replace('+00:00', 'Z')}"]
            for s in sorted(listed, key=lambda s: (s["time"], s["id"])):
                lines.append(f"snapshot {s['id']} {s['time']} {s['hostname']} {','.join(s.get('tags') or []) or '-'}")
            for case in COUNT_CASES:
                out = json.loads(run([RESTIC, "forget", "--dry-run", "--json"] + case.split(), env) or "[]")
                keep = sorted(s["id"] for g in out for s in (g.get("keep") or []))
                remove = sorted(s["id"] for g in out for s in (g.get("remove") or []))
                lines += [f"case {case}", "keep " + " ".join(keep), "remove " + " ".join(remove)]
            with open(os.path.join(OUT, name + ".golden"), "w") as f:
                f.write("\n".join(lines) + "\n")
            print(f"{name}: {len(listed)} snapshots, {len(COUNT_CASES)} cases")


main()
