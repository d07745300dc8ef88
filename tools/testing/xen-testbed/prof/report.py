#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the instructions went between two insnprof snapshots.

  report.py RUN TAG [--per N] [--top K]

RUN is a testbed run directory made with --profile, TAG a bench tag such
as ours-ours-v2-r1 (snapshots TAG-a and TAG-b, module symbols from
files/bench/TAG/*.ksyms).  Code is named from Xen's symbol map (Debian's
xen-hypervisor-4.17-amd64-dbg, fetched on first use), the testbed
kernel's System.map and the module symbols of dom0 and the guest.  Both
domains run the same kernel, so kernel code is not split by domain; module
code is named after the domain that loaded it.  --per N divides every
count by N (for example the I/Os done in the window) to give a cost per
I/O.
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


def xen_map():
    cache = os.path.join(BUILD, "cache")
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


def load_snap(path):
    blocks = {}
    with open(path) as f:
        for line in f:
            p = line.split()
            key = (int(p[0], 16), int(p[1]))
            runs = [int(x) for x in p[2:]]
            old = blocks.get(key)
            blocks[key] = [a + b for a, b in zip(old, runs)] if old else runs
    return blocks


def area(addr):
    if addr >= 0xffffffff80000000:
        return "kernel"
    if 0xffff82d040000000 <= addr < 0xffff82d0c0000000:
        return "xen"
    if addr < 0x800000000000:
        return "user"
    return "other"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("tag")
    ap.add_argument("--per", type=float, default=1.0)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--split", action="store_true",
                    help="the run pinned dom0 to CPU 0 and the guest to CPU 1 "
                    "(BENCH_PIN=1): name code by domain")
    a = ap.parse_args()
    run = a.run if os.path.isdir(a.run) else os.path.join(BUILD, "testbed", "runs", a.run)
    before = load_snap(os.path.join(run, "prof", a.tag + "-a.txt"))
    after = load_snap(os.path.join(run, "prof", a.tag + "-b.txt"))

    xen, kern = Syms(), Syms()
    read_map(xen_map(), xen, "xen:", lambda t: t in "tTwW")
    read_map(os.path.join(BUILD, "kernel", "obj", "System.map"), kern, "",
             lambda t: t in "tTwW")
    mods = []
    for dom in ("dom0", "guest"):
        s = Syms()
        p = os.path.join(run, "files", "bench", a.tag, dom + ".ksyms")
        if os.path.exists(p):
            read_map(p, s, dom + ":", lambda t: t in "tTwW")
        s.done()
        mods.append(s)
    # A guest running Debian's kernel (whose package ships no System.map)
    # sent all its text symbols in guest.ksyms; they are told apart from
    # dom0's only in a split (pinned) run.
    gkern = kern
    if a.tag.endswith("-deb61"):
        if not a.split:
            sys.exit("a -deb61 guest runs another kernel than dom0: profile it "
                     "with BENCH_PIN=1 and report with --split")
        gkern = mods[1]
    xen.done()
    kern.done()

    by_sym = collections.Counter()
    by_area = collections.Counter()
    by_cpu = collections.Counter()
    total = 0
    doms = ("dom0", "guest")
    for key, runs in after.items():
        old = before.get(key, [0] * len(runs))
        for cpu, (r, o) in enumerate(zip(runs, old)):
            n = (r - o) * key[1]
            if n <= 0:
                continue
            by_cpu[cpu] += n
            total += n
            addr, ar = key[0], area(key[0])
            dom = doms[min(cpu, 1)] if a.split else None
            by_area[(dom + " " if dom else "") + ar] += n
            if ar == "xen":
                name = xen.find(addr) or "xen:?"
            elif ar == "kernel":
                name = None
                if addr >= 0xffffffffa0000000:
                    if dom:
                        found = [mods[doms.index(dom)].find(addr, 1 << 14)]
                    else:
                        found = [m.find(addr, 1 << 14) for m in mods]
                    found = [f for f in found if f]
                    name = " | ".join(found) if found else None
                kmap = gkern if dom == "guest" else kern
                name = name or kmap.find(addr) or "kernel:?"
            else:
                name = ar
            if dom and not name.startswith(dom + ":"):
                name = f"{dom}:{name}"
            by_sym[name] += n

    per = a.per
    print(f"instructions in the window: {total:,} ({total / per:,.0f} per unit)")
    print("by CPU: " + ", ".join(f"cpu{c} {n / per:,.0f}" for c, n in sorted(by_cpu.items())
                                 if n))
    print("by area: " + ", ".join(f"{k} {v / per:,.0f} ({100 * v / total:.1f}%)"
                                  for k, v in by_area.most_common()))
    groups = collections.Counter()
    for name, n in by_sym.items():
        g = name.split(":")[0] if ":" in name else "kernel"
        if "blkfront" in name or "blkback" in name:
            g += "(blk driver)"
        groups[g] += n
    print("by group: " + ", ".join(f"{k} {v / per:,.0f}" for k, v in groups.most_common()))
    print(f"\n{'per unit':>10} {'%':>6}  symbol")
    for name, n in by_sym.most_common(a.top):
        print(f"{n / per:10,.0f} {100 * n / total:6.2f}  {name}")


if __name__ == "__main__":
    sys.exit(main())
