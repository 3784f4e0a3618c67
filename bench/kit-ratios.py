#!/usr/bin/env python3
"""Ratio table (ours / restic) from the shared bench kit's rows, as docs/benchmarks.md shows it.

usage: python3 bench/kit-ratios.py [RUNS_CSV]     (default /tmp/bench/results/runs.csv)
Medians over the reps of each step, each rep's figure in brackets, per-rep ratios (same rep of both tools), median
CPU seconds (user + sys) and peak RSS, then the repository sizes and the most CPU other processes used during a step.
"""
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1] if len(sys.argv) > 1 else '/tmp/bench/results/runs.csv')))
steps = [('init','init'),('a_full','a) first full backup (day 1)'),('b_unchanged','b) second backup, unchanged'),
         ('c_day2','c) backup of the day-2 variant (~2 % churn)'),('d_restore','d) full restore of latest'),
         ('f_check','f) check --read-data'),('s04','snapshot 4 (churn)'),('s10','snapshot 10 (churn)'),
         ('g_forget_prune','g) forget --keep-daily 7 --keep-weekly 3 --keep-monthly 3 --prune')]
def get(tool, step):
    return sorted([r for r in rows if r['tool']==tool and r['step']==step], key=lambda r: int(r['rep']))
print('| step | ours (s) | restic (s) | ours / restic (medians) | per-rep ratios | ours CPU s | restic CPU s | ours peak RSS | restic peak RSS | RSS ratio |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for k, label in steps:
    o, r = get('ours', k), get('restic', k)
    if not o or not r: continue
    ow = [float(x['wall_s']) for x in o]; rw = [float(x['wall_s']) for x in r]
    reps = {x['rep']: float(x['wall_s']) for x in r}
    per = ' '.join('%.2f' % (float(x['wall_s'])/reps[x['rep']]) for x in o if x['rep'] in reps)
    oc = st.median(float(x['user_s'])+float(x['sys_s']) for x in o); rc = st.median(float(x['user_s'])+float(x['sys_s']) for x in r)
    orss = st.median(int(x['maxrss_kb']) for x in o)/1024; rrss = st.median(int(x['maxrss_kb']) for x in r)/1024
    print('| %s | %.2f [%s] | %.2f [%s] | **%.2f** | %s | %.1f | %.1f | %d MiB | %d MiB | %.1f |' % (label, st.median(ow),
          ' '.join('%.2f' % w for w in ow), st.median(rw), ' '.join('%.2f' % w for w in rw), st.median(ow)/st.median(rw), per,
          oc, rc, orss, rrss, orss/rrss))
ch = lambda t: [float(x['wall_s']) for k in ['s04','s05','s06','s07','s08','s09','s10'] for x in get(t,k)]
if ch('ours') and ch('restic'):
    print('| snapshots 4-10, all reps | median %.2f | median %.2f | %.2f | | | | | | |' % (st.median(ch('ours')), st.median(ch('restic')), st.median(ch('ours'))/st.median(ch('restic'))))
for k in ['a_full','c_day2','g_forget_prune']:
    o=[int(x['repo_bytes']) for x in get('ours',k)]; r=[int(x['repo_bytes']) for x in get('restic',k)]
    if o and r: print('repo after %s: ours %.1f MB, restic %.1f MB (%+.1f %%)' % (k, st.median(o)/1e6, st.median(r)/1e6, 100*(st.median(o)/st.median(r)-1)))
oth = max(float(x['other_cpu_s'])/max(float(x['wall_s']),0.01) for x in rows if x['step'] not in ('d_sync',))
print('max other-process cores during a step (excluding sync): %.2f' % oth)
