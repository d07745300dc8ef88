#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The xenbus watch lanes benchmark: watch lanes against one xenwatch thread.

    bench_xenwatch.py [--skip-scale] [--skip-testbed] [--domains N]
                      [--scale N] [--guests N] [--samples N]

1. Scale, simulated (tools/testing/xenwatch/bench_scale): dom0's watch
   traffic when 1,000 domains start at once, each with a disk and a
   network device, callbacks blocking 1-50 ms (one in a hundred for
   seconds): time until every device is set up, lanes and one thread,
   without and with one domain's lane stalled for 30 s.
2. The testbed, two boots of the same kernel: dom0 with lanes, and with
   xenbus.watch_lanes=0 (one xenwatch thread).  In each: N guests
   (default 8) with one disk each created at once, then destroyed at once,
   without and with a watch callback of another guest's lane stalled 30 s
   (test module xen-watchstall), --repeat times each (default 3; the
   median is reported); and the latency of a watch event (dom0's
   xenstore write to the start of its callback) while a guest floods.

Writes build/bench/xenwatch.json (one record per figure) and prints a
table with the targets of issue 15.  Figures, not tests: nothing fails
on a missed target.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

TB = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(TB, "..", "..", ".."))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
sys.path.insert(0, TB)
import testbed  # noqa: E402

XW = os.path.join(TOP, "tools", "testing", "xenwatch")
STALL_MS = 30000


def log(msg):
    testbed.log(msg)


def scale_runs(args):
    """The 1,000-domain replay: runs of bench_scale.  The lanes run in
    real time (--lanes-scale 1, about 20 s each), since the stall's delay
    to other devices is a difference between two runs, and a run's
    scheduling jitter grows --scale times when replayed faster; a second
    unstalled run gives that jitter alone.  One thread's runs take
    --scale times less than its 25 minutes."""
    r = subprocess.run(["make", "-s", "-C", XW, "bench_scale"], capture_output=True, text=True)
    if r.returncode:
        testbed.die(f"building bench_scale failed:\n{r.stdout}{r.stderr}")
    out, tdir = [], os.path.join(BUILD, "bench", "xenwatch-scale")
    os.makedirs(tdir, exist_ok=True)
    for single in (False, True):
        runs = ("0", "1") if single else ("0", "0b", "1")
        for run in runs:
            stall = run == "1"
            cmd = [os.path.join(XW, "bench_scale"), "--domains", str(args.domains),
                   "--scale", str(args.scale if single else args.lanes_scale), "--times",
                   os.path.join(tdir, f"{'single' if single else 'lanes'}-{run}.txt")]
            cmd += ["--single"] * single + ["--stall"] * stall
            log(f"scale: {' '.join(cmd[1:])}")
            r = subprocess.run(cmd, capture_output=True, text=True)
            for ln in r.stdout.splitlines():
                if ln.startswith("json ") and run != "0b":
                    out.append(json.loads(ln[5:]))
                else:
                    log(f"  {ln}")
            if r.returncode:
                testbed.die(f"bench_scale failed:\n{r.stderr}")
        out.append(stall_delays(tdir, "single" if single else "lanes"))
    return out


def stall_delays(tdir, dispatcher):
    """How much one domain's stall delayed each other domain's devices;
    for the lanes, also how far two unstalled runs differ (jitter)."""
    def times(run):
        with open(os.path.join(tdir, f"{dispatcher}-{run}.txt")) as f:
            return {(w[0], w[1]): int(w[2]) for w in (ln.split() for ln in f) if w[0] != "1"}
    base, stalled = times("0"), times("1")
    d = sorted(stalled[k] - base[k] for k in base)
    rec = {"bench": "xenwatch-scale-delay", "dispatcher": dispatcher, "devices": len(d),
           "delay_p50_ms": d[len(d) // 2], "delay_p99_ms": d[len(d) * 99 // 100],
           "delay_max_ms": d[-1], "delayed_over_1s": sum(x > 1000 for x in d)}
    if os.path.exists(os.path.join(tdir, f"{dispatcher}-0b.txt")):
        again = times("0b")
        j = sorted(abs(again[k] - base[k]) for k in base)
        rec.update(jitter_p50_ms=j[len(j) // 2], jitter_max_ms=j[-1],
                   jitter_over_1s=sum(x > 1000 for x in j))
    return rec


def testbed_run(name, dom0_args, scenarios):
    ns = argparse.Namespace(scenarios=scenarios, name=name, icount=False, smp=2,
                            mem=6144, dom0_mem=2048, timeout=0, scenario_timeout=900,
                            no_prepare=False, env=[], dom0_args=dom0_args)
    testbed.run(ns)
    return os.path.join(BUILD, "testbed", "runs", name, "files", "bench", "xenwatch")


def parse_lifecycle(path, dispatcher):
    with open(path) as f:
        lines = f.read().split("\n")
    head = lines[0].split()
    rec = {"bench": "xenwatch-lifecycle", "dispatcher": dispatcher}
    for k, v in zip(head[::2], head[1::2]):
        rec[k] = int(v) if v.lstrip("-").isdigit() else v
    per = {}
    for ln in lines[1:]:
        w = ln.split()
        if len(w) == 3:
            per.setdefault(w[0], {})[w[1]] = int(w[2])
    rec["create_failed"] = sum("create_failed" in g for g in per.values())
    creates = [g["create_ms"] for g in per.values() if "create_ms" in g]
    rec["create_ms_max"] = max(creates) if creates else None
    return rec


def parse_latency(path, dispatcher):
    with open(path) as f:
        us = sorted(int(x) for x in f.read().split())
    rec = {"bench": "xenwatch-latency", "dispatcher": dispatcher, "samples": len(us)}
    if us:
        rec.update(p50_us=us[len(us) // 2], p99_us=us[min(len(us) - 1, len(us) * 99 // 100)],
                   mean_us=round(statistics.mean(us)), max_us=us[-1])
    return rec


def median_lifecycle(recs):
    """The repeat with the median total time, with the spread of all."""
    recs = sorted(recs, key=lambda r: r.get("total_ms", 0))
    rec = dict(recs[len(recs) // 2])
    rec.update(repeats=len(recs), total_ms_min=recs[0].get("total_ms"),
               total_ms_max=recs[-1].get("total_ms"))
    return rec


def testbed_runs(args):
    # The repeats interleave no stall and stall, so that a slow stretch
    # of the host does not fall on one of them only.
    scen = [f"xw_lifecycle:{args.guests},{ms},{r}" for r in range(1, args.repeat + 1)
            for ms in (0, STALL_MS)] + ([f"xw_latency:{args.samples}"] if args.samples else [])
    out = []
    for dispatcher, dom0_args in (("lanes", ""), ("single", "xenbus.watch_lanes=0")):
        files = testbed_run(f"xw-bench-{dispatcher}", dom0_args, scen)
        for ms in (0, STALL_MS):
            reps = []
            for r in range(1, args.repeat + 1):
                p = os.path.join(files, f"lifecycle-{args.guests}-{ms}-{r}")
                if os.path.exists(p):
                    reps.append(parse_lifecycle(p, dispatcher))
                else:
                    log(f"warning: no {os.path.relpath(p)} ({dispatcher}); see the run's logs")
            if reps:
                out.append(median_lifecycle(reps))
        p = os.path.join(files, f"latency-{args.samples}")
        if not args.samples:
            continue
        if os.path.exists(p):
            out.append(parse_latency(p, dispatcher))
        else:
            log(f"warning: no {os.path.relpath(p)} ({dispatcher}); see the run's logs")
    return out


def find(recs, **kw):
    for r in recs:
        if all(r.get(k) == v for k, v in kw.items()):
            return r
    return None


def secs(ms):
    return f"{ms / 1000:.1f}" if isinstance(ms, (int, float)) else "-"


def ratio(a, b):
    return a / b if isinstance(a, (int, float)) and b else None


def fmt(x, f="{:.2f}"):
    return f.format(x) if x is not None else "-"


def table(recs):
    rows = []
    life = {(d, s): find(recs, bench="xenwatch-lifecycle", dispatcher=d, stall_ms=s)
            for d in ("lanes", "single") for s in (0, STALL_MS)}
    for s in (0, STALL_MS):
        ln, sg = life[("lanes", s)] or {}, life[("single", s)] or {}
        rows.append((f"{ln.get('guests', '?')} guests created+destroyed at once, "
                     f"{'another lane stalled 30 s' if s else 'no stall'}, median (s)",
                     f"{secs(ln.get('total_ms'))} ({ln.get('up', '-')} up)",
                     f"{secs(sg.get('total_ms'))} ({sg.get('up', '-')} up)"))
        rows.append(("  min-max of the repeats (s)",
                     f"{secs(ln.get('total_ms_min'))}-{secs(ln.get('total_ms_max'))}",
                     f"{secs(sg.get('total_ms_min'))}-{secs(sg.get('total_ms_max'))}"))
    ln0, ln1, sg0 = life[("lanes", 0)], life[("lanes", STALL_MS)], life[("single", 0)]
    t_stall = ratio(ln1 and ln1["total_ms"], ln0 and ln0["total_ms"])
    t_speed = ratio(sg0 and sg0["total_ms"], ln0 and ln0["total_ms"])
    for d in ("lanes", "single"):
        r = find(recs, bench="xenwatch-latency", dispatcher=d) or {}
        rows.append((f"watch latency under a flood, {d}: p50 / p99 (ms)",
                     f"{fmt(r.get('p50_us') and r['p50_us'] / 1000)} / "
                     f"{fmt(r.get('p99_us') and r['p99_us'] / 1000)}", ""))
    sc = {(d, s): find(recs, bench="xenwatch-scale", dispatcher=d, stall=s)
          for d in ("lanes", "single") for s in (False, True)}
    for s in (False, True):
        ln, sg = sc[("lanes", s)] or {}, sc[("single", s)] or {}
        rows.append((f"{ln.get('domains', '?')} domains (simulated), every other device "
                     f"set up{', one lane stalled' if s else ''} (s)",
                     secs(ln.get("all_set_up_ms")), secs(sg.get("all_set_up_ms"))))
    s_speed = ratio(sc[("single", False)] and sc[("single", False)]["all_set_up_ms"],
                    sc[("lanes", False)] and sc[("lanes", False)]["all_set_up_ms"])
    s_stall = ratio(sc[("lanes", True)] and sc[("lanes", True)]["all_set_up_ms"],
                    sc[("lanes", False)] and sc[("lanes", False)]["all_set_up_ms"])
    dl = {d: find(recs, bench="xenwatch-scale-delay", dispatcher=d) or {}
          for d in ("lanes", "single")}
    rows.append(("simulated, the stall's delay to other domains' devices: p50 / max (s)",
                 f"{secs(dl['lanes'].get('delay_p50_ms'))} / {secs(dl['lanes'].get('delay_max_ms'))}",
                 f"{secs(dl['single'].get('delay_p50_ms'))} / "
                 f"{secs(dl['single'].get('delay_max_ms'))}"))
    rows.append(("simulated, lanes: two unstalled runs differ by: p50 / max (s)",
                 f"{secs(dl['lanes'].get('jitter_p50_ms'))} / "
                 f"{secs(dl['lanes'].get('jitter_max_ms'))}", ""))
    delayed = dl["lanes"].get("delayed_over_1s")
    print(f"\n{'xenbus watch lanes':76} {'lanes':>16} {'single':>16}")
    for what, a, b in rows:
        print(f"{what:76} {a:>16} {b:>16}")
    targets = [
        ("testbed: with the stall, lanes' time / no-stall time (target <= 1.10)", t_stall, 1.10, "le"),
        ("testbed: no stall, lanes' speed / one thread's (target >= 0.95)", t_speed, 0.95, "ge"),
        ("simulated: lanes' speed / one thread's (target >= 10)", s_speed, 10, "ge"),
        ("simulated: one lane stalled, others' time / unstalled (target ~1.0)", s_stall, 1.10, "le"),
        ("simulated: other domains' devices the stall delayed > 1 s (target 0)", delayed, 0, "le"),
    ]
    print()
    out = []
    for what, v, t, how in targets:
        met = None if v is None else (v <= t if how == "le" else v >= t)
        shown = fmt(v, "{:.2f}" if isinstance(v, float) else "{}")
        print(f"{what:76} {shown:>16} {'met' if met else '-' if met is None else 'MISSED':>16}")
        out.append({"bench": "xenwatch-target", "what": what, "value": v, "target": t,
                    "met": met})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-testbed", action="store_true")
    ap.add_argument("--domains", type=int, default=1000)
    ap.add_argument("--scale", type=int, default=25,
                    help="one thread's replay runs this many times faster than real time")
    ap.add_argument("--lanes-scale", type=int, default=1,
                    help="the same for the lanes' replays (default: real time)")
    ap.add_argument("--guests", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3,
                    help="repeats of each create/destroy phase, median reported")
    ap.add_argument("--samples", type=int, default=200,
                    help="watch latency samples (0: no latency runs; with one "
                    "xenwatch thread they take 10 minutes)")
    args = ap.parse_args()
    recs = []
    if not args.skip_scale:
        recs += scale_runs(args)
    if not args.skip_testbed:
        recs += testbed_runs(args)
    recs += table(recs)
    out = os.path.join(BUILD, "bench", "xenwatch.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(recs, f, indent=1)
    log(f"records in {os.path.relpath(out)}")


if __name__ == "__main__":
    main()
