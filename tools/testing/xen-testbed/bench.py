#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The block benchmark: fio through every available front/back stack.

Two passes, each one boot of the testbed:
  icount  QEMU's instruction counter: every figure is a cost, repeatable
          to about 1%; insn_per_io = 1.25e8 / IOPS (shift=3: 8 ns/insn).
  wall    multi-threaded TCG: parallel speed, repeated with the stacks
          interleaved (A B A B ...), reported as median, min and max.
The icount pass also runs Debian 12's own kernel (6.1, built -O2 as
distributions build) as the guest, with its own xen-blkfront and with
ours: the frontends compared on the kernel users run (--kernels).
Writes build/bench/results.json and build/bench/results.png.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

TB = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TB)
import testbed  # noqa: E402

WORKLOADS = ["randread-4k-qd32", "randwrite-4k-qd32", "read-128k-qd8", "randread-4k-qd1"]
OUT = os.path.join(testbed.BUILD, "bench")
NS_PER_INSN = 8  # -icount shift=3
# Guest kernels: the testbed's Linux 6.12 and Debian 12's distribution kernel.
KERNELS = ["612", "deb61"]
KERNEL_NAMES = {"612": "6.12 (testbed)", "deb61": "Debian 6.1"}


def stacks(kernel="612"):
    """(frontend, backend) pairs to measure: native, stock, and ours if built.

    A guest running Debian's kernel ("deb61") compares the frontends only
    (dom0, and so the backend, is the testbed's kernel either way).
    """
    have_front = testbed.ours_module(kernel, "xen-blkfront") is not None
    have_back = testbed.ours_module("612", "xen-blkback") is not None
    if kernel != "612":
        return [("stock", "stock")] + ([("ours", "stock")] if have_front else [])
    s = [("none", "none"), ("stock", "stock")]
    if have_front:
        s.append(("ours", "stock"))
    if have_back:
        s.append(("stock", "ours"))
    if have_front and have_back:
        s.append(("ours", "ours"))
    return s


def fio_record(path, workload):
    with open(path) as f:
        j = json.load(f)
    job = j["jobs"][0]
    side = job["write"] if "write" in workload else job["read"]
    pct = side.get("clat_ns", {}).get("percentile", {})
    return {"iops": round(side["iops"], 1), "bw_kib": side["bw"],
            "lat_p50_us": round(pct.get("50.000000", 0) / 1000, 1),
            "lat_p99_us": round(pct.get("99.000000", 0) / 1000, 1)}


def read_meta(d):
    meta = {}
    try:
        with open(os.path.join(d, "meta")) as f:
            for ln in f:
                k, _, v = ln.strip().partition("=")
                meta[k] = v
    except FileNotFoundError:
        pass
    return meta


def collect(run, clock, workloads):
    """Turn the fio files one run sent back into raw records."""
    base = os.path.join(testbed.IMG, "runs", run, "files", "bench")
    recs = []
    if not os.path.isdir(base):
        return recs
    for tag in sorted(os.listdir(base)):
        # FRONT-BACK-vVCPUS-rREP, then the guest kernel if not 612.
        front, back, v, r, *k = tag.split("-")
        meta = read_meta(os.path.join(base, tag))
        for w in workloads:
            p = os.path.join(base, tag, w + ".json")
            if not os.path.exists(p):
                continue
            rec = {"frontend": front, "backend": back, "workload": w,
                   "clock": clock, "vcpus": int(v[1:]),
                   "queues": int(meta.get("queues", 0)), "rep": int(r[1:]),
                   "kernel": k[0] if k else "612",
                   "kernel_release": meta.get("kernel", "")}
            rec.update(fio_record(p, w))
            if clock == "icount" and rec["iops"] > 0:
                rec["insn_per_io"] = round(1e9 / NS_PER_INSN / rec["iops"])
            recs.append(rec)
    return recs


def median_records(recs):
    """Fold the repeats of each (stack, workload, vcpus) into one record."""
    groups = {}
    for r in recs:
        key = (r["frontend"], r["backend"], r["workload"], r["vcpus"], r["kernel"])
        groups.setdefault(key, []).append(r)
    out = []
    for key, rs in sorted(groups.items()):
        iops = [r["iops"] for r in rs]
        mid = sorted(rs, key=lambda r: r["iops"])[len(rs) // 2]
        rec = dict(mid)
        rec.pop("rep", None)
        rec.update({"iops": round(statistics.median(iops), 1), "iops_min": min(iops),
                    "iops_max": max(iops), "count": len(rs)})
        out.append(rec)
    return out


def ratio(a, b):
    return f"{a / b:.2f}" if b else "-"


def table(records):
    """One row per record; /stock compares with stock/stock on the same
    guest kernel, /native with fio in dom0."""
    lines = []
    for clock in ("icount", "wall"):
        rs = [r for r in records if r["clock"] == clock]
        if not rs:
            continue
        lines.append(f"\n{clock} figures" + (" (instruction counter: cost per I/O)"
                     if clock == "icount" else " (multi-threaded TCG: median of repeats)"))
        lines.append(f"{'workload':18} {'vcpu':>4} {'guest':>5} {'front':>6} {'back':>6} "
                     f"{'q':>2} {'IOPS':>9} {'/native':>7} {'/stock':>7} {'p50us':>8} "
                     f"{'p99us':>8} {'insn/io':>8} {'min-max':>15}")
        for w in WORKLOADS:
            for v in sorted({r["vcpus"] for r in rs if r["workload"] == w}):
                sel = [r for r in rs if r["workload"] == w and r["vcpus"] == v]
                nat = next((r["iops"] for r in sel if r["frontend"] == "none"), 0)
                for r in sorted(sel, key=lambda r: r["kernel"] != "612"):
                    stk = next((s["iops"] for s in sel if s["frontend"] == "stock"
                                and s["backend"] == "stock"
                                and s["kernel"] == r["kernel"]), 0)
                    guest = "-" if r["frontend"] == "none" else r["kernel"]
                    mm = (f"{r['iops_min']:.0f}-{r['iops_max']:.0f}/{r['count']}"
                          if "iops_min" in r else "")
                    lines.append(
                        f"{w:18} {v:4} {guest:>5} {r['frontend']:>6} {r['backend']:>6} "
                        f"{r['queues']:2} {r['iops']:9.0f} {ratio(r['iops'], nat):>7} "
                        f"{ratio(r['iops'], stk):>7} {r['lat_p50_us']:8.1f} "
                        f"{r['lat_p99_us']:8.1f} {str(r.get('insn_per_io', '')):>8} {mm:>15}")
    return "\n".join(lines)


def plot(records, png):
    """Grouped bars: IOPS relative to native, per workload and stack."""
    if not shutil.which("gnuplot"):
        print("warning: gnuplot not found, no plot (apt-get install gnuplot-nox)",
              file=sys.stderr)
        return
    panels = []
    for clock in ("icount", "wall"):
        rs = [r for r in records if r["clock"] == clock]
        if not rs:
            continue
        v = max(r["vcpus"] for r in rs)
        # Series: (guest kernel, frontend, backend), the testbed's first.
        st = [(k, f, b) for k in KERNELS for f, b in stacks(k)
              if f != "none" and
              any((r["kernel"], r["frontend"], r["backend"]) == (k, f, b) for r in rs)]
        rows = []
        for w in WORKLOADS:
            sel = [r for r in rs if r["workload"] == w and r["vcpus"] == v]
            nat = next((r["iops"] for r in sel if r["frontend"] == "none"), 0)
            if not sel or not nat:
                continue
            vals = []
            for k, f, b in st:
                r = next((r for r in sel if (r["kernel"], r["frontend"], r["backend"]) ==
                          (k, f, b)), None)
                vals.append(f"{r['iops'] / nat:.3f}" if r else "0")
            rows.append(w + " " + " ".join(vals))
        if rows:
            panels.append((clock, v, st, rows))
    if not panels:
        return
    dat = os.path.join(OUT, "plot.dat")
    gp = [f"set terminal pngcairo size 1100,{420 * len(panels)} font 'sans,10'",
          f"set output '{png}'", f"set multiplot layout {len(panels)},1",
          "set style data histograms", "set style histogram clustered gap 1",
          "set style fill solid 0.85 border -1", "set grid ytics", "set yrange [0:*]",
          "set key outside right top", "set ylabel 'IOPS relative to native (dom0)'"]
    with open(dat, "w") as f:
        for i, (clock, v, st, rows) in enumerate(panels):
            f.write("\n".join(rows) + "\n\n\n")
            title = ("instruction counter (cost)" if clock == "icount"
                     else "multi-threaded TCG (median)")
            gp.append(f"set title 'Xen PV block I/O, guest with {v} vCPUs: {title}'")
            cols = ", ".join(
                f"'{dat}' index {i} using {j + 2}:xtic(1) title '{KERNEL_NAMES[k]}: "
                f"front {f}, back {b}'" for j, (k, f, b) in enumerate(st))
            gp.append(f"plot {cols}")
    gp.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(gp), text=True, check=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runtime", type=int, default=int(os.environ.get("BENCH_RUNTIME", 10)),
                    help="fio seconds per workload (guest time)")
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 3)),
                    help="repeats of the wall-clock pass")
    ap.add_argument("--vcpus", default=os.environ.get("BENCH_VCPUS", "2"),
                    help="guest vCPUs for the icount pass (comma list)")
    ap.add_argument("--wall-vcpus", default=os.environ.get("BENCH_WALL_VCPUS", "1,2"))
    ap.add_argument("--wall-workloads", default="randread-4k-qd32")
    ap.add_argument("--no-wall", action="store_true", help="skip the wall-clock pass")
    ap.add_argument("--kernels", default=os.environ.get("BENCH_KERNELS", ",".join(KERNELS)),
                    help="guest kernels of the icount pass (612: the testbed's; "
                    "deb61: Debian 12's, frontends only)")
    a = ap.parse_args()
    testbed.prepare()
    os.makedirs(OUT, exist_ok=True)
    kernels = a.kernels.split(",")
    for k in kernels:
        if k not in KERNELS:
            sys.exit(f"error: --kernels: unknown guest kernel {k} (known: {', '.join(KERNELS)})")
    st = stacks()
    print(f"stacks: {', '.join(f'{f}/{b}' for f, b in st)}", file=sys.stderr)
    records = []
    # icount pass: one boot, grouped by backend so it is loaded once; the
    # other kernels' stacks (stock backend) come last.
    scen = [f"bench:{f},{b},{v},1,pv,{k}" for k in kernels for v in a.vcpus.split(",")
            for f, b in sorted(stacks(k), key=lambda s: s[1])
            if k == "612" or f != "none"]
    env = [f"BENCH_WORKLOADS={' '.join(WORKLOADS)}", f"BENCH_RUNTIME={a.runtime}"]
    per = 180 + len(WORKLOADS) * (a.runtime + 15) * 4
    rc = testbed.run(argparse.Namespace(
        scenarios=scen, name="bench-icount", icount=True, smp=2, mem=6144,
        dom0_mem=2048, timeout=0, scenario_timeout=per, no_prepare=True,
        env=env + [f"TB_SCENARIO_TIMEOUT={per}"]))
    records += collect("bench-icount", "icount", WORKLOADS)
    if not a.no_wall and a.repeat > 0:
        ww = a.wall_workloads.split(",")
        scen = [f"bench:{f},{b},{v},{r}" for r in range(1, a.repeat + 1)
                for v in a.wall_vcpus.split(",") for f, b in st]
        per = 180 + len(ww) * (a.runtime + 15) * 4
        rc |= testbed.run(argparse.Namespace(
            scenarios=scen, name="bench-wall", icount=False, smp=2, mem=6144,
            dom0_mem=2048, timeout=0, scenario_timeout=per, no_prepare=True,
            env=[f"BENCH_WORKLOADS={' '.join(ww)}", f"BENCH_RUNTIME={a.runtime}",
                 f"TB_SCENARIO_TIMEOUT={per}"]))
        records += median_records(collect("bench-wall", "wall", ww))
    for r in records:
        r.pop("rep", None)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(records, f, indent=1)
    print(table(records))
    plot(records, os.path.join(OUT, "results.png"))
    print(f"\nwrote {os.path.relpath(os.path.join(OUT, 'results.json'))} and "
          f"{os.path.relpath(os.path.join(OUT, 'results.png'))}")
    sys.exit(1 if rc or not records else 0)


if __name__ == "__main__":
    main()
