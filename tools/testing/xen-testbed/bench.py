#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The block benchmark: fio through every available front/back stack.

Passes:
  icount  QEMU's instruction counter: every figure is a cost, repeatable
          to about 1%; insn_per_io = 1.25e8 / IOPS (shift=3: 8 ns/insn).
          A light instruction profile splits each row's cost into the
          guest, dom0 and Xen.  Three boots, two at a time (each is one
          host thread): the testbed's 6.12 in dom0 with PV guests
          (Debian's own 6.1 as a guest too, and the disk that completes
          inline), the same dom0 with PVH guests, and Debian 12's own 6.1
          kernel in dom0 with our backend built for it.
          A fourth boot (not with --no-evtchn) runs the patched hypervisor
          (patches/xen): PVH guests, and HVM guests (Debian's
          qemu-system-xen as device model in dom0 for that boot), with
          each event channel on an interrupt vector of its own against
          the same guests on Xen's upcall (xen.evtchn_vectors=0), with
          the disk's interrupts per I/O and the instructions vectors
          save per interrupt.  A boot
          with QEMU's USB disk in dom0 (bench-usb) measures PV USB: our
          kernel backend and QEMU's userspace one (qusb, the device
          model: dom0 carries Debian's qemu-system-xen in that boot),
          each behind Linux's xen-hcd and ours, with the disk on QEMU's
          EHCI or (--usb-hc xhci) its xHCI.
  wall    multi-threaded TCG: parallel speed, repeated with the stacks
          interleaved (A B A B ...), reported as median, min and max.
Writes build/bench/results.json and build/bench/results.png (--out: elsewhere).
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

TB = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TB)
sys.path.insert(0, os.path.join(TB, "prof"))
import testbed  # noqa: E402
import report  # noqa: E402

WORKLOADS = ["randread-4k-qd32", "randwrite-4k-qd32", "read-128k-qd8", "randread-4k-qd1"]
# The USB disk's (bench_usb.sh): PV USB through our kernel backend
# ("ours") and QEMU's userspace one ("qusb").
USB_WORKLOADS = ["usb-randread-4k-qd16", "usb-read-64k-qd4"]
USB_BACKENDS = ("qusb", "ours")
# The USB disk's controller in dom0 (testbed.py --usb-disk-hc), as the
# USB table names it.
USB_HCS = {"ehci": "EHCI", "xhci": "xHCI, USB 2.0 ports only"}
OUT = os.path.join(testbed.BUILD, "bench")
NS_PER_INSN = 8  # -icount shift=3
PAIRS = [("stock", "stock"), ("ours", "stock"), ("stock", "ours"), ("ours", "ours")]
# What a row is, besides its pair: the guest's type and kernel, the disk
# (softirq: null_blk's default completion; inline: in the submitter),
# dom0's kernel and the guest's event delivery ("-": Debian's Xen, the
# kernel's default; "upcall" or "vectors": the patched Xen, each event
# channel through the upcall or on a vector of its own).  /stock compares
# with stock/stock of the same setting.
SETTING = ("type", "kernel", "disk", "dom0", "delivery")
BOOTS = ("bench-icount", "bench-evtchn", "bench-pvh", "bench-deb61", "bench-usb")
DELIVERIES = ("upcall", "vectors")
# Guest types: pv and pvh in every boot that has their rows; hvm only in
# bench-evtchn (an HVM guest takes minutes to boot under the emulator,
# against seconds for PV or PVH).
TYPES = ("pv", "pvh", "hvm")
# What dom0 waits for an HVM guest to boot (tblib.sh's TB_HVM_BOOT_WAIT,
# 240 s there), guest time: under the instruction counter the boot
# through hvmloader, SeaBIOS and fw_cfg reaches the guest's init in
# 130 to 180 s (run hvm-fix1, 2026-12-06, patched emulator), more under
# the profiler.  A boot with HVM guests gives each scenario that much
# more time.
HVM_BOOT_WAIT = 1200
# The frontends of the HVM rows (two HVM guests per frontend).
HVM_FRONTS = ("stock", "ours")


def have(pair):
    """Whether our modules for this pair (guest and dom0 on 6.12) are built."""
    f, b = pair
    return ((f != "ours" or testbed.ours_module("612", "xen-blkfront")) and
            (b != "ours" or testbed.ours_module("612", "xen-blkback")))


# The rows of the inline disk are there for the distance to native: the
# two random-read workloads say it.
INLINE_WORKLOADS = "randread-4k-qd32+randread-4k-qd1"


def plan(a):
    """The icount boots: [(run name, dom0 kernel, [scenario, ...])], the
    longest first."""
    pairs = [p for p in PAIRS if have(p)]
    v = a.vcpus
    boots = []
    if "612" in a.dom0:
        sc = [f"bench:none,none,{v},1,pv,612,softirq",
              f"bench:none,none,{v},1,pv,612,inline,{INLINE_WORKLOADS}"]
        if "pv" in a.types:
            sc += [f"bench:{f},{b},{v},1,pv" for f, b in pairs]
            sc += [f"bench:{f},{b},{v},1,pv,612,inline,{INLINE_WORKLOADS}"
                   for f, b in pairs if f == b]
        if "deb61" in a.kernels:
            sc += [f"bench:{f},{b},{v},1,pv,deb61" for f, b in pairs if b == "stock"]
        boots.append(("bench-icount", "612", sc, None))
        types = [t for t in ("pvh", "hvm") if t in a.types]
        if types and a.evtchn:
            every = "+".join(WORKLOADS)
            boots.append(("bench-evtchn", "612",
                          [f"bench:{f},{f},{v},1,{t},612,softirq,{every},{d}"
                           for t in types for d in DELIVERIES for f in ("stock", "ours")
                           if have((f, f)) and (t != "hvm" or f in HVM_FRONTS)],
                          "patched"))
        if "pvh" in a.types:
            boots.append(("bench-pvh", "612", [f"bench:{f},{b},{v},1,pvh" for f, b in pairs],
                          None))
    if "deb61" in a.dom0:
        sc = [f"bench:none,none,{v},1"] + [f"bench:{f},{b},{v},1" for f, b in pairs]
        boots.append(("bench-deb61", "deb61", sc, None))
    if "612" in a.dom0 and a.usb and testbed.ours_module("612", "xen-usbback"):
        fronts = ["stock"] + ["ours"] * bool(testbed.ours_module("612", "xen-hcd"))
        boots.append(("bench-usb", "612", [f"bench_usb:{f},{b},1" for b in USB_BACKENDS
                                           for f in fronts], None))
    if a.only:
        boots = [b for b in boots if b[0] in a.only]
    # Each stack's backend loads once: stock (qusb for USB) first, then ours.
    return [(n, k, sorted(sc, key=lambda s: s.split(",")[1] == "ours"), x)
            for n, k, sc, x in boots]


def icount_boots(a, boots):
    """Run the icount boots two at a time: under the instruction counter
    QEMU runs one host thread, and its figures do not depend on what
    else the host runs.  The caller holds the testbed lock."""
    def one(b):
        name, dom0, scen, xen = b
        testbed.LOG_TAG.name = a.prefix + name
        return boot(name, dom0, scen, a, True, USB_WORKLOADS if name == "bench-usb"
                    else WORKLOADS, not a.no_profile, xen)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        return list(ex.map(one, boots))


def fio_record(path, workload):
    with open(path) as f:
        j = json.load(f)
    job = j["jobs"][0]
    side = job["write"] if "write" in workload else job["read"]
    pct = side.get("clat_ns", {}).get("percentile", {})
    return {"iops": round(side["iops"], 1), "bw_kib": side["bw"],
            "lat_p50_us": round(pct.get("50.000000", 0) / 1000, 1),
            "lat_p99_us": round(pct.get("99.000000", 0) / 1000, 1)}


def read_kv(path):
    out = {}
    try:
        with open(path) as f:
            for ln in f:
                k, _, v = ln.strip().partition("=")
                out[k] = v
    except FileNotFoundError:
        pass
    return out


def add_split(rec, run, tag, workload):
    """Split the row's instructions per I/O into guest, dom0 and Xen, by
    the shares of a window of the run measured by the profiler.

    A PV USB row waits for QEMU's emulated USB controller, and while every
    vCPU is halted QEMU's clock jumps to its next timer without executing
    anything: its insn_per_io is mostly that wait.  Such a row also gets
    insn_busy_per_io, the instructions the window executed divided by the
    I/Os the guest started in it (the calls of blk_mq_start_request), and
    its split adds up to that instead."""
    sp = report.split(run, f"{tag}-{workload}")
    if not sp or "insn_per_io" not in rec:
        return
    total = sum(sp.values())
    if not total:
        return
    per_io = rec["insn_per_io"]
    if rec["disk"] == "usb":
        ios = report.calls(run, f"{tag}-{workload}",
                           report.kernel_addr("blk_mq_start_request"), "guest")
        if not ios:
            return
        per_io = rec["insn_busy_per_io"] = round(total / ios)
    for s in report.SIDES:
        n = sum(v for (side, _), v in sp.items() if side == s)
        rec[f"insn_{s}"] = round(per_io * n / total)
    for s in ("guest", "dom0"):
        n = sp.get((s, "user"), 0)
        rec[f"insn_{s}_user"] = round(per_io * n / total)


def irq_counts(text):
    """{name: [count per CPU]} of /proc/interrupts' lines of the disk's
    channels (blkif...) and the upcall (HYP)."""
    out = {}
    for ln in text.splitlines():
        w = ln.split()
        if not w or not w[0].endswith(":"):
            continue
        name = "HYP" if w[0] == "HYP:" else w[-1]
        if name != "HYP" and not name.startswith("blkif"):
            continue
        n = []
        for x in w[1:]:
            if not x.isdigit():
                break
            n.append(int(x))
        key = name if name == "HYP" else f"{name}/{w[0]}"
        out[key] = n
    return out


def irq_record(path, ios):
    """Interrupts the guest took during the workload (ramp included: IOS
    is the I/Os fio did in that time, at its measured rate), per I/O: the
    disk's channels (irq_per_io, and irq_per_cpu, the counts per vCPU)
    and the upcall (upcall_per_io)."""
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        return {}
    before, _, rest = text.partition("== after")
    after = rest.split("== queues")[0]
    b, a = irq_counts(before), irq_counts(after)
    if not ios:
        return {}
    per_cpu = None
    for k, n in a.items():
        if k == "HYP":
            continue
        d = [x - y for x, y in zip(n, b.get(k, [0] * len(n)))]
        per_cpu = d if per_cpu is None else [x + y for x, y in zip(per_cpu, d)]
    out = {}
    if per_cpu is not None:
        out["irq_per_io"] = round(sum(per_cpu) / ios, 3)
        out["irq_per_cpu"] = per_cpu
    if "HYP" in a:
        out["upcall_per_io"] = round(sum(x - y for x, y in zip(a["HYP"], b.get("HYP", a["HYP"])))
                                     / ios, 3)
    return out


def spec_type(spec):
    """The guest type of bench scenario SPEC ("bench:FRONT,BACK,VCPUS,REP,TYPE,...")."""
    args = spec.partition(":")[2].split(",")
    return args[4] if len(args) > 4 else "pv"


def collect(run, clock, workloads):
    """Turn the fio files one run sent back into raw records."""
    rdir = os.path.join(testbed.IMG, "runs", run)
    base = os.path.join(rdir, "files", "bench")
    recs = []
    if not os.path.isdir(base):
        return recs
    for tag in sorted(os.listdir(base)):
        if not os.path.isdir(os.path.join(base, tag)):
            continue  # dom0.mfns
        stack = read_kv(os.path.join(base, tag, "stack"))
        if not stack:
            continue
        meta = read_kv(os.path.join(base, tag, "meta"))
        for w in workloads:
            p = os.path.join(base, tag, w + ".json")
            if not os.path.exists(p):
                continue
            native = stack["frontend"] == "none"
            rec = {"frontend": stack["frontend"], "backend": stack["backend"],
                   "workload": w, "clock": clock, "vcpus": int(stack["vcpus"]),
                   "queues": int(meta.get("queues", stack.get("queues", 0))),
                   "rep": int(stack["rep"]),
                   "type": "-" if native else stack["type"],
                   "kernel": "-" if native else stack["kernel"],
                   "kernel_release": meta.get("kernel_release", ""),
                   "disk": stack["disk"], "dom0": stack["dom0"],
                   "dom0_release": stack["dom0_release"],
                   "delivery": stack.get("delivery", "-")}
            rec.update(fio_record(p, w))
            secs = float(stack.get("ramp", 0)) + float(stack.get("runtime", 0))
            rec.update(irq_record(os.path.join(base, tag, w + ".irq"), rec["iops"] * secs))
            if clock == "icount" and rec["iops"] > 0:
                rec["insn_per_io"] = round(1e9 / NS_PER_INSN / rec["iops"])
                add_split(rec, rdir, tag, w)
            recs.append(rec)
    return recs


def setting(r):
    return tuple(r[k] for k in SETTING)


def median_records(recs):
    """Fold the repeats of each (stack, workload, setting) into one record."""
    groups = {}
    for r in recs:
        key = (r["frontend"], r["backend"], r["workload"], r["vcpus"]) + setting(r)
        groups.setdefault(key, []).append(r)
    out = []
    for key, rs in sorted(groups.items()):
        iops = [r["iops"] for r in rs]
        mid = sorted(rs, key=lambda r: r["iops"])[len(rs) // 2]
        rec = dict(mid)
        rec.update({"iops": round(statistics.median(iops), 1), "iops_min": min(iops),
                    "iops_max": max(iops), "count": len(rs)})
        out.append(rec)
    return out


def usb_ratios(r, sel):
    """A PV USB row's ratios (SEL: the rows of its workload and clock):
    vs_stock_front, its IOPS against Linux's xen-hcd on the same backend;
    vs_qusb, against QEMU's backend behind the same frontend; and
    busy_vs_qusb, that qusb row's executed instructions per I/O against
    its own (above 1: cheaper than qusb)."""
    def row(front, back):
        return next((s for s in sel if s["disk"] == "usb" and
                     (s["frontend"], s["backend"]) == (front, back)), {})
    stock, qusb = row("stock", r["backend"]), row(r["frontend"], "qusb")
    if stock.get("iops"):
        r["vs_stock_front"] = round(r["iops"] / stock["iops"], 3)
    if qusb.get("iops"):
        r["vs_qusb"] = round(r["iops"] / qusb["iops"], 3)
    if qusb.get("insn_busy_per_io") and r.get("insn_busy_per_io"):
        r["busy_vs_qusb"] = round(qusb["insn_busy_per_io"] / r["insn_busy_per_io"], 3)


def ratios(records):
    """Each record's ratio to stock/stock and to native in its setting
    (the PV USB rows': usb_ratios())."""
    for r in records:
        sel = [s for s in records if s["clock"] == r["clock"] and
               s["workload"] == r["workload"] and s["vcpus"] == r["vcpus"]]
        if r["disk"] == "usb":
            usb_ratios(r, sel)
            continue
        stk = next((s["iops"] for s in sel if (s["frontend"], s["backend"]) ==
                    ("stock", "stock") and setting(s) == setting(r)), 0)
        nat = next((s["iops"] for s in sel if s["frontend"] == "none" and
                    (s["disk"], s["dom0"]) == (r["disk"], r["dom0"])), 0)
        if stk and r["frontend"] != "none":
            r["vs_stock"] = round(r["iops"] / stk, 3)
        if nat:
            r["vs_native"] = round(r["iops"] / nat, 3)


def row_order(r):
    return (r["dom0"] != "612", r["disk"] != "softirq", r["kernel"] not in ("-", "612"),
            r["type"], r.get("delivery", "-"), r["frontend"] != "none", PAIRS.index((r["frontend"], r["backend"]))
            if r["frontend"] != "none" else -1)


def table(records):
    lines = []
    for clock in ("icount", "wall"):
        rs = [r for r in records if r["clock"] == clock and r.get("delivery", "-") == "-"
              and r["disk"] != "usb"]
        if not rs:
            continue
        lines.append(f"\n{clock} figures" + (
            " (instruction counter: cost per I/O; insn/io split into guest, dom0, Xen)"
            if clock == "icount" else " (multi-threaded TCG: median of repeats)"))
        head = (f"{'workload':17} {'dom0':>5} {'disk':>7} {'type':>4} {'guest':>5} "
                f"{'front':>5} {'back':>5} {'q':>2} {'IOPS':>7} {'/native':>7} "
                f"{'/stock':>6} {'p99us':>8}")
        head += (f" {'insn/io':>7} {'guest':>6} {'dom0':>6} {'xen':>6}" if clock == "icount"
                 else f" {'min-max':>13}")
        lines.append(head)
        for w in WORKLOADS:
            for r in sorted((r for r in rs if r["workload"] == w), key=row_order):
                ln = (f"{w:17} {r['dom0']:>5} {r['disk']:>7} {r['type']:>4} "
                      f"{r['kernel']:>5} {r['frontend']:>5} {r['backend']:>5} "
                      f"{r['queues']:2} {r['iops']:7.0f} "
                      f"{(format(r['vs_native'], '.2f') if 'vs_native' in r else '-'):>7} "
                      f"{(format(r['vs_stock'], '.2f') if 'vs_stock' in r else '-'):>6} "
                      f"{r['lat_p99_us']:8.0f}")
                if clock == "icount":
                    sp = [r.get(f"insn_{s}") for s in report.SIDES]
                    ln += f" {r.get('insn_per_io', 0):7}" + "".join(
                        f" {v if v is not None else '-':>6}" for v in sp)
                else:
                    ln += f" {r['iops_min']:6.0f}-{r['iops_max']:.0f}/{r['count']}"
                lines.append(ln)
    return "\n".join(lines) + delivery_table(records) + usb_table(records)


def usb_table(records):
    """The PV USB rows: each frontend against Linux's on the same backend,
    and our backend against QEMU's behind the same frontend."""
    rs = [r for r in records if r["clock"] == "icount" and r["disk"] == "usb"]
    if not rs:
        return ""
    hc = USB_HCS.get(rs[0].get("usb_hc", "ehci"), "EHCI")
    lines = ["", f"PV USB (icount): QEMU's USB disk in dom0 ({hc}), a PV guest with 1 vCPU; "
             "back: ours (xen-usbback) or qusb (QEMU's",
             "userspace backend, in dom0); /stock: against Linux's xen-hcd on the same "
             "backend, /qusb: against qusb behind",
             "the same frontend; insn/io: virtual time per I/O, waiting for the "
             "emulated controller included; busy/io: instructions",
             "executed per I/O (b/qusb: qusb's over this row's, above 1 is cheaper), "
             "split into guest, dom0 (d0user: its",
             "user space, QEMU for qusb) and Xen",
             f"{'workload':21} {'front':>5} {'back':>5} {'IOPS':>5} {'/stock':>6} "
             f"{'/qusb':>5} {'p99us':>7} {'insn/io':>8} {'busy/io':>8} {'b/qusb':>6} "
             f"{'guest':>7} {'dom0':>7} {'d0user':>7} {'xen':>7}"]
    for w in USB_WORKLOADS:
        for r in sorted((r for r in rs if r["workload"] == w),
                        key=lambda r: (USB_BACKENDS.index(r["backend"]),
                                       r["frontend"] != "stock")):
            rat = [format(r[k], ".2f") if k in r else "-"
                   for k in ("vs_stock_front", "vs_qusb", "busy_vs_qusb")]
            lines.append(f"{w:21} {r['frontend']:>5} {r['backend']:>5} {r['iops']:5.0f} "
                         f"{rat[0]:>6} {rat[1]:>5} {r['lat_p99_us']:7.0f} "
                         f"{r.get('insn_per_io', 0):8} {r.get('insn_busy_per_io', '-'):>8} "
                         f"{rat[2]:>6} "
                         + " ".join(f"{r.get(f'insn_{s}', '-'):>7}"
                                    for s in ("guest", "dom0", "dom0_user", "xen")))
    return "\n".join(lines)


def delivery_table(records):
    """The event delivery rows: each stack on the upcall and on vectors,
    PVH guests first, then HVM."""
    rs = [r for r in records if r["clock"] == "icount" and r.get("delivery", "-") != "-"]
    if not rs:
        return ""
    lines = ["", "event delivery (PVH and HVM guests on the patched Xen, icount): each "
             "channel on a vector of its own against the upcall; irq/io: the disk's "
             "interrupts per I/O,",
             "saved/irq: instructions per I/O saved against the upcall, per disk "
             "interrupt; upcall/io: upcall interrupts (all channels, timer included) "
             "per I/O",
             f"{'workload':17} {'type':>4} {'front':>5} {'back':>5} {'delivery':>8} "
             f"{'IOPS':>7} {'/upcall':>7} {'insn/io':>7} {'guest':>6} {'xen':>6} "
             f"{'irq/io':>6} {'saved/irq':>9} {'upcall/io':>9}  disk irqs per vCPU"]
    for w in WORKLOADS:
        for r in sorted((r for r in rs if r["workload"] == w),
                        key=lambda r: (TYPES.index(r["type"]) if r["type"] in TYPES else 9,
                                       PAIRS.index((r["frontend"], r["backend"])),
                                       r["delivery"])):
            up = next((u for u in rs if u["workload"] == w and u["delivery"] == "upcall" and
                       u["type"] == r["type"] and
                       (u["frontend"], u["backend"]) == (r["frontend"], r["backend"])), None)
            ratio = f"{r['iops'] / up['iops']:.2f}" if up and up["iops"] else "-"
            saved = "-"
            if up and r is not up and r.get("irq_per_io"):
                saved = round((up["insn_per_io"] - r["insn_per_io"]) / r["irq_per_io"])
            lines.append(
                f"{w:17} {r['type']:>4} {r['frontend']:>5} {r['backend']:>5} {r['delivery']:>8} "
                f"{r['iops']:7.0f} {ratio:>7} {r.get('insn_per_io', 0):7} "
                f"{r.get('insn_guest', '-'):>6} {r.get('insn_xen', '-'):>6} "
                f"{r.get('irq_per_io', '-'):>6} {saved:>9} "
                f"{r.get('upcall_per_io', '-'):>9}  "
                + " ".join(str(x) for x in r.get("irq_per_cpu", [])))
    return "\n".join(lines)


def label(r):
    """A row's setting, as the plot names it."""
    d = r.get("delivery", "-")
    return (r["type"].upper() + ("" if r["kernel"] == "612" else ", Debian 6.1 guest") +
            ("" if r["disk"] == "softirq" else ", inline disk") +
            ("" if r["dom0"] == "612" else ", Debian 6.1 dom0") +
            ("" if d == "-" else f", patched Xen, {d}"))


def plot(records, png):
    """One panel per workload: each stack's IOPS as a ratio to the stock
    pair of its setting (1.0 drawn, 0.95 dashed), icount figures."""
    if not shutil.which("gnuplot"):
        print("warning: gnuplot not found, no plot (apt-get install gnuplot-nox)",
              file=sys.stderr)
        return
    rs = [r for r in records if r["clock"] == "icount" and "vs_stock" in r]
    if not rs:
        return
    settings = []
    for r in sorted(rs, key=row_order):
        if label(r) not in settings:
            settings.append(label(r))
    pairs = [p for p in PAIRS[1:] if any((r["frontend"], r["backend"]) == p for r in rs)]
    dat = os.path.join(OUT, "plot.dat")
    with open(dat, "w") as f:
        for w in WORKLOADS:
            for s in settings:
                if not any(r["workload"] == w and label(r) == s for r in rs):
                    continue
                vals = []
                for p in pairs:
                    r = next((r for r in rs if r["workload"] == w and label(r) == s and
                              (r["frontend"], r["backend"]) == p), None)
                    vals.append(f"{r['vs_stock']:.3f}" if r else "NaN")
                f.write(f'"{s}" ' + " ".join(vals) + "\n")
            f.write("\n\n")
    gp = [f"set terminal pngcairo size 1400,900 font 'sans,9'", f"set output '{png}'",
          "set multiplot layout 2,2 title \"Xen PV block I/O: IOPS relative to "
          "Linux's front and back (stock/stock = 1), instruction counter\"",
          "set style data histograms", "set style histogram clustered gap 1",
          "set style fill solid 0.85 border -1", "set grid ytics",
          "set yrange [0:*]", "set offsets 0, 0, graph 0.08, 0", "set arrow from graph 0, first 0.95 to graph 1, first 0.95 "
          "nohead dt 2 lc 'gray40'", "set xtics rotate by -20 font 'sans,8'",
          "set key below font 'sans,8'", "set ylabel 'x stock/stock'"]
    for i, w in enumerate(WORKLOADS):
        cols = ", ".join(f"'{dat}' index {i} using {j + 2}:xtic(1) title 'front {f}, back {b}'"
                         for j, (f, b) in enumerate(pairs))
        gp += [f"set title '{w}'", f"plot {cols}, 1 with lines lw 2 lc 'black' notitle"]
    gp.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(gp), text=True, check=False)


def boot(name, dom0, scen, a, icount, workloads, profile, xen=None):
    # HVM guests (bench-evtchn's) need the device model in dom0, and
    # their boot's time on top of the workloads'.
    hvm = any(spec_type(s) == "hvm" for s in scen if s.startswith("bench:"))
    per = 120 + len(workloads) * (a.runtime + 15) + (HVM_BOOT_WAIT if hvm else 0)
    env = [f"BENCH_WORKLOADS={' '.join(workloads)}", f"BENCH_RUNTIME={a.runtime}",
           f"TB_SCENARIO_TIMEOUT={per}"] + [f"TB_HVM_BOOT_WAIT={HVM_BOOT_WAIT}"] * hvm
    if profile:
        env.append(f"BENCH_PROF={a.runtime - 1.5:g}")
    print(f"bench: {name}: dom0 {dom0}, {len(scen)} stacks, "
          f"{'icount' if icount else 'multi-threaded TCG'}", file=sys.stderr, flush=True)
    usb = name == "bench-usb"
    return testbed.run(argparse.Namespace(
        scenarios=scen, name=a.prefix + name, icount=icount, smp=2, mem=6144, dom0_mem=2048,
        timeout=0, scenario_timeout=per, no_prepare=True, env=env, profile=profile,
        dom0_kernel=dom0, locked=True, xen=xen, usb=usb, qemu_dm=usb or hvm,
        usb_disk_hc=a.usb_hc if usb else None))


def main():
    global OUT
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runtime", type=int, default=int(os.environ.get("BENCH_RUNTIME", 3)),
                    help="fio seconds per workload (guest time, after 1 s of ramp)")
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 3)),
                    help="repeats of the wall-clock pass")
    ap.add_argument("--vcpus", type=int, default=int(os.environ.get("BENCH_VCPUS", 2)),
                    help="guest vCPUs for the icount pass")
    ap.add_argument("--wall-vcpus", default=os.environ.get("BENCH_WALL_VCPUS", "2"))
    ap.add_argument("--wall-workloads", default="randread-4k-qd32")
    ap.add_argument("--no-wall", action="store_true", help="skip the wall-clock pass")
    ap.add_argument("--kernels", default=os.environ.get("BENCH_KERNELS", "612,deb61"),
                    help="guest kernels of the icount pass (612: the testbed's; "
                    "deb61: Debian 12's, with the stock backend)")
    ap.add_argument("--types", default=os.environ.get("BENCH_TYPES", "pv,pvh,hvm"),
                    help="guest types of the icount pass (hvm: HVM rows, in bench-evtchn "
                    "only)")
    ap.add_argument("--dom0", default=os.environ.get("BENCH_DOM0", "612,deb61"),
                    help="dom0 kernels, one icount boot each (612, deb61)")
    ap.add_argument("--no-evtchn", dest="evtchn", action="store_false",
                    default=os.environ.get("BENCH_EVTCHN", "1") != "0",
                    help="no event delivery rows (the PVH boot on the patched hypervisor; "
                    "BENCH_EVTCHN=0 too)")
    ap.add_argument("--no-usb", dest="usb", action="store_false",
                    help="no PV USB rows (the boot with QEMU's USB disk in dom0)")
    ap.add_argument("--usb-hc", default=os.environ.get("BENCH_USB_HC", "ehci"), metavar="HC",
                    help="the USB disk's controller in the bench-usb boot (testbed.py "
                    "--usb-disk-hc): ehci (default), QEMU's EHCI, whose frame timer "
                    "paces every transfer, or xhci, its xHCI with USB 2.0 ports only, "
                    "whose doorbell starts them (BENCH_USB_HC too)")
    ap.add_argument("--prefix", default=os.environ.get("BENCH_PREFIX", ""),
                    help="put PREFIX before the boots' run names (build/testbed/runs/"
                    "PREFIXbench-usb), so as not to replace another's runs "
                    "(BENCH_PREFIX too)")
    ap.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""), metavar="BOOTS",
                    help="run only these icount boots, comma-separated (bench-icount, "
                    "bench-pvh, bench-deb61, bench-evtchn, bench-usb); with --no-wall, "
                    "for example, only the PV USB rows")
    ap.add_argument("--no-profile", action="store_true",
                    help="no guest/dom0/Xen split (no profiling plugin)")
    ap.add_argument("--out", default=os.environ.get("BENCH_OUT", OUT), metavar="DIR",
                    help="write results.json and results.png there "
                    f"(default {os.path.relpath(OUT)})")
    a = ap.parse_args()
    a.kernels, a.types, a.dom0 = (x.split(",") for x in (a.kernels, a.types, a.dom0))
    a.only = [b for b in a.only.split(",") if b]
    for val, known, what in ((a.kernels, ("612", "deb61"), "--kernels"),
                             (a.types, TYPES, "--types"),
                             (a.dom0, testbed.DOM0_KERNELS, "--dom0"),
                             (a.only, BOOTS, "--only")):
        bad = [v for v in val if v not in known]
        if bad:
            sys.exit(f"error: {what}: unknown {', '.join(bad)} (known: {', '.join(known)})")
    if a.usb_hc not in USB_HCS:
        sys.exit(f"error: --usb-hc: unknown {a.usb_hc} (known: {', '.join(USB_HCS)})")
    if a.runtime < 3:
        sys.exit("error: --runtime must be at least 3 seconds")
    OUT = os.path.abspath(a.out)
    testbed.prepare()
    os.makedirs(OUT, exist_ok=True)
    start, rc, records = time.time(), 0, []
    boots = plan(a)
    if a.only and not boots:
        sys.exit(f"error: --only: no boot of {', '.join(a.only)} in this run "
                 "(left out by the other options, or our modules are not built)")
    # One lock for every boot: no other run slips in between them.
    lock = testbed.qemu_lock()
    for (name, _, _, _), r in zip(boots, icount_boots(a, boots)):
        rc |= r
        recs = collect(a.prefix + name, "icount",
                       USB_WORKLOADS if name == "bench-usb" else WORKLOADS)
        for rec in recs:
            if rec["disk"] == "usb":
                rec["usb_hc"] = a.usb_hc
        records += recs
    if not a.no_wall and a.repeat > 0:
        ww = a.wall_workloads.split(",")
        pairs = [p for p in (("stock", "stock"), ("ours", "ours")) if have(p)]
        scen = [f"bench:{f},{b},{v},{r}" for r in range(1, a.repeat + 1)
                for v in a.wall_vcpus.split(",") for f, b in pairs]
        rc |= boot("bench-wall", "612", scen, a, False, ww, False)
        records += median_records(collect(a.prefix + "bench-wall", "wall", ww))
    lock.close()
    ratios(records)
    for r in records:
        r.pop("rep", None)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(records, f, indent=1)
    print(table(records))
    plot(records, os.path.join(OUT, "results.png"))
    print(f"\nwrote {os.path.relpath(os.path.join(OUT, 'results.json'))} and "
          f"{os.path.relpath(os.path.join(OUT, 'results.png'))} "
          f"in {(time.time() - start) / 60:.0f} min")
    sys.exit(1 if rc or not records else 0)


if __name__ == "__main__":
    main()
