#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the instructions went in an insnprof window.

  report.py RUN TAG WORKLOAD [--per N|io] [--top K]

RUN is a testbed run directory made with --profile (make bench makes
bench-icount and bench-deb61), TAG a bench tag such as
ours-ours-pv-612-softirq-d612-v2-r1 and WORKLOAD one of its workloads
(the window prof/TAG-WORKLOAD.txt).  Each block of code is put on the side
it ran for: Xen (by its addresses), dom0 (by the machine frames dom0's
memory is made of, files/bench/dom0.mfns) or the guest (every other
frame).  Code is named from Xen's symbol map (Debian's
xen-hypervisor-4.17-amd64-dbg, fetched on first use), the testbed
kernel's System.map and the symbols dom0 and the guest sent
(files/bench/TAG/*.ksyms).  --per N divides every count by N (for example
the I/Os done in the window) to give a cost per I/O.  Debian's kernel
comes without a System.map: to name its code, run the benchmark with
BENCH_SYMS=all, which has dom0 and the guests send all their code
symbols (slow: minutes of console output per stack).  --per io divides
by the block I/Os the guest started in the window (the calls of
blk_mq_start_request there), which is exact where the window's length
in I/Os is not known, as in the PV USB rows (their vCPUs are idle most
of the time, and the window is a little longer than BENCH_PROF).  A
qusb row's dom0 user space (QEMU's) is named by the file its code is
mapped from (qemu.maps, QEMU's /proc/PID/maps that bench_usb.sh sends).
"""
import argparse
import bisect
import collections
import glob
import os
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
XEN_DBG = "xen-hypervisor-4.17-amd64-dbg"
SIDES = ("guest", "dom0", "xen")


class Syms:
    def __init__(self):
        self.addrs, self.names = [], []

    def add(self, addr, name):
        self.addrs.append(addr)
        self.names.append(name)

    def done(self):
        order = sorted(range(len(self.addrs)), key=lambda i: self.addrs[i])
        self.addrs = [self.addrs[i] for i in order]
        self.names = [self.names[i] for i in order]
        return self

    def find(self, addr, slack=1 << 16):
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0 or addr - self.addrs[i] > slack:
            return None
        return self.names[i]


def read_map(path, syms, prefix="", keep=lambda t: True):
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 3 or not keep(p[1]):
                continue
            name = prefix + p[2] + (" " + p[3] if len(p) > 3 else "")
            syms.add(int(p[0], 16), name)
    return syms


def text(t):
    return t in "tTwW"


def xen_map(run):
    """Xen's symbol map: of the patched hypervisor (build-xen.sh) when RUN
    booted it, else of Debian's (its -dbg package)."""
    cache = os.path.join(BUILD, "cache")
    with open(os.path.join(run, "qemu.cmd")) as f:
        patched = "xen-patched" in f.read()
    if patched:
        syms = os.path.join(BUILD, "testbed", "xen-patched-syms")
        out = os.path.join(cache, "xen-patched-syms.map")
        if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(syms):
            with open(out + ".tmp", "w") as f:
                subprocess.check_call(["nm", "-n", syms], stdout=f)
            os.rename(out + ".tmp", out)
        return out
    out = os.path.join(cache, "xen-syms.map")
    if os.path.exists(out):
        return out
    debs = glob.glob(os.path.join(cache, XEN_DBG + "_*.deb"))
    if not debs:
        subprocess.check_call(["apt-get", "download", XEN_DBG], cwd=cache)
        debs = glob.glob(os.path.join(cache, XEN_DBG + "_*.deb"))
    tmp = os.path.join(cache, ".xendbg")
    subprocess.check_call(["dpkg", "-x", debs[0], tmp])
    src = glob.glob(os.path.join(tmp, "usr/lib/debug/boot/xen-syms-*.map"))[0]
    os.rename(src, out)
    subprocess.call(["rm", "-rf", tmp])
    return out


def load_window(path):
    """Instructions per block of a window: {(vaddr, mpage or None): count}."""
    blocks = collections.Counter()
    with open(path) as f:
        for line in f:
            va, mp, insns, runs = line.split()
            key = (int(va, 16), None if mp == "-" else int(mp, 16))
            blocks[key] += int(insns) * int(runs)
    return blocks


def window(run, name):
    """What ran in profile window NAME, or None if there is none."""
    p = os.path.join(run, "prof", f"{name}.txt")
    return load_window(p) if os.path.exists(p) else None


class Frames:
    """dom0's machine frames, from xen-mfnmap's "FIRST COUNT" runs."""

    def __init__(self, path):
        runs = []
        with open(path) as f:
            for line in f:
                first, count = line.split()
                runs.append((int(first, 16), int(count)))
        runs.sort()
        self.starts = [r[0] for r in runs]
        self.runs = runs

    def __contains__(self, mfn):
        i = bisect.bisect_right(self.starts, mfn) - 1
        return i >= 0 and mfn < self.runs[i][0] + self.runs[i][1]


def area(addr):
    if addr >= 0xffffffff80000000:
        return "kernel"
    if 0xffff82d040000000 <= addr < 0xffff82d0c0000000:
        return "xen"
    if addr < 0x800000000000:
        return "user"
    return "other"


def side(key, dom0):
    """Which side a block ran for: guest, dom0, xen, or other (firmware)."""
    addr, mpage = key
    if area(addr) == "xen":
        return "xen"
    if mpage is None:
        return "other"
    return "dom0" if mpage in dom0 else "guest"


def split(run, name):
    """Instructions of window NAME by (side, area), or None.

    The side of a block is decided by where its code lies; the area
    (kernel, user) by its address.
    """
    win = window(run, name)
    mfns = os.path.join(run, "files", "bench", "dom0.mfns")
    if win is None or not os.path.exists(mfns):
        return None
    dom0 = Frames(mfns)
    out = collections.Counter()
    for key, n in win.items():
        s = side(key, dom0)
        out[(s, "xen" if s == "xen" else area(key[0]))] += n
    return out


def kernel_addr(symbol):
    """Address of SYMBOL in the testbed kernel's System.map, or None."""
    with open(os.path.join(BUILD, "kernel", "obj", "System.map")) as f:
        for line in f:
            p = line.split()
            if len(p) >= 3 and p[2] == symbol:
                return int(p[0], 16)
    return None


def calls(run, name, addr, want):
    """How often the block at ADDR, a function's entry, ran on side WANT
    (guest or dom0) in window NAME: that function's calls there; None
    without the window or dom0's frames."""
    p = os.path.join(run, "prof", f"{name}.txt")
    mfns = os.path.join(run, "files", "bench", "dom0.mfns")
    if addr is None or not os.path.exists(p) or not os.path.exists(mfns):
        return None
    dom0, n = Frames(mfns), 0
    with open(p) as f:
        for line in f:
            va, mp, _, runs = line.split()
            if int(va, 16) == addr and mp != "-" and side((addr, int(mp, 16)), dom0) == want:
                n += int(runs)
    return n


def qemu_maps(run, tag):
    """The mappings of QEMU's code in dom0, from the /proc/PID/maps a
    qusb row of the PV USB benchmark sent (bench_usb.sh): a Syms of
    their starts, named by file, and of the gaps after them ("?");
    None without."""
    p = os.path.join(run, "files", "bench", tag, "qemu.maps")
    if not os.path.exists(p):
        return None
    starts, ends = {}, []
    with open(p) as f:
        for line in f:
            w = line.split()
            if len(w) < 6 or "x" not in w[1]:
                continue
            lo, hi = (int(x, 16) for x in w[0].split("-"))
            starts[lo] = os.path.basename(w[5])
            ends.append(hi)
    for hi in ends:
        starts.setdefault(hi, "?")
    syms = Syms()
    for lo, name in starts.items():
        syms.add(lo, name)
    return syms.done()


def namers(run, tag):
    """Name a block of one side: Xen's map, kernels' maps, module symbols,
    and dom0's user space by QEMU's code mappings where a qusb row sent
    them (any other dom0 process's code there is named as QEMU's)."""
    xen = read_map(xen_map(run), Syms(), "xen:", text).done()
    kern = read_map(os.path.join(BUILD, "kernel", "obj", "System.map"), Syms(), "",
                    text).done()
    syms = {}
    for s in ("dom0", "guest"):
        p = os.path.join(run, "files", "bench", tag, s + ".ksyms")
        syms[s] = read_map(p, Syms(), "", text).done() if os.path.exists(p) else Syms()
    # Debian's kernel (guest -deb61-, dom0 -d deb61) comes without a
    # System.map: its own symbols came in its .ksyms.
    kmaps = {"guest": syms["guest"] if "-deb61-" in tag else kern,
             "dom0": syms["dom0"] if "-ddeb61-" in tag else kern}
    qemu = qemu_maps(run, tag)

    def name(s, addr):
        if s == "xen":
            return xen.find(addr) or "xen:?"
        a = area(addr)
        if a == "user" and s == "dom0" and qemu:
            return f"dom0:user {qemu.find(addr, 1 << 64) or '?'}"
        if a != "kernel":
            return f"{s}:{a}"
        found = syms[s].find(addr, 1 << 14) if addr >= 0xffffffffa0000000 else None
        return f"{s}:{found or kmaps[s].find(addr) or '?'}"
    return name


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("tag")
    ap.add_argument("workload")
    ap.add_argument("--per", default="1", help="a number, or io")
    ap.add_argument("--top", type=int, default=40)
    a = ap.parse_args()
    run = a.run if os.path.isdir(a.run) else os.path.join(BUILD, "testbed", "runs", a.run)
    name = f"{a.tag}-{a.workload}"
    win = window(run, name)
    if win is None:
        sys.exit(f"no window {name} in {run}/prof")
    mfns = os.path.join(run, "files", "bench", "dom0.mfns")
    if not os.path.exists(mfns):
        sys.exit(f"no {mfns}: the run did not send dom0's frames")
    dom0 = Frames(mfns)
    namer = namers(run, a.tag)
    if a.per == "io":
        per = calls(run, name, kernel_addr("blk_mq_start_request"), "guest")
        if not per:
            sys.exit(f"no block I/O of the guest's in window {name}")
        print(f"block I/Os the guest started in the window: {per}")
    else:
        per = float(a.per)
    by_sym, by_side = collections.Counter(), collections.Counter()
    for key, n in win.items():
        s = side(key, dom0)
        by_side[s if s == "xen" else f"{s} {area(key[0])}"] += n
        by_sym[namer(s, key[0]) if s != "other" else "firmware"] += n
    total = sum(win.values())
    print(f"instructions in the window: {total:,} ({total / per:,.0f} per unit)")
    print("by side: " + ", ".join(f"{k} {v / per:,.0f} ({100 * v / total:.1f}%)"
                                  for k, v in by_side.most_common()))
    print(f"\n{'per unit':>10} {'%':>6}  symbol")
    for sym, n in by_sym.most_common(a.top):
        print(f"{n / per:10,.0f} {100 * n / total:6.2f}  {sym}")


if __name__ == "__main__":
    sys.exit(main())
