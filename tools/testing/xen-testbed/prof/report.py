#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the instructions went in an insnprof window.

  report.py RUN TAG WORKLOAD [--per N|io] [--top K] [--vs TAG2]
            [--calls | --exits]

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

--calls counts calls instead of instructions: the runs of the block at
each function's first instruction (exact, since a call always starts a
block there; a function that is entered other than by its start, or
inlined, is not seen).  --exits turns those counts into the HVM or PVH
guest's VM exits by reason, with the interrupts Xen injected (EXITS and
EVENTS below say which Xen function counts each).  --vs TAG2 puts the
window of the same workload of another stack of the same run beside it
(for example the -vectors row beside the -upcall one), with the
difference, ordered by its size.  With --per io the first lines say
how many processes the guest started in a window (none while fio runs:
any there mean the window overlapped fio's start or the guest's work
between workloads) and how its I/Os compare with fio's IOPS times the
window's length.
"""
import argparse
import bisect
import collections
import functools
import glob
import json
import os
import signal
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

    def exact(self, addr):
        """The symbol starting at ADDR, or None."""
        return self.find(addr, 0)


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


def load_window(path, runs_only=False):
    """Instructions per block of a window: {(vaddr, mpage or None): count};
    with RUNS_ONLY, how often each block ran instead."""
    blocks = collections.Counter()
    with open(path) as f:
        for line in f:
            va, mp, insns, runs = line.split()
            key = (int(va, 16), None if mp == "-" else int(mp, 16))
            blocks[key] += int(runs) * (1 if runs_only else int(insns))
    return blocks


def window(run, name, runs_only=False):
    """What ran in profile window NAME, or None if there is none."""
    p = os.path.join(run, "prof", f"{name}.txt")
    return load_window(p, runs_only) if os.path.exists(p) else None


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


@functools.lru_cache(maxsize=None)
def kernel_addr(symbol):
    """Address of SYMBOL in the testbed kernel's System.map, or None."""
    with open(os.path.join(BUILD, "kernel", "obj", "System.map")) as f:
        for line in f:
            p = line.split()
            if len(p) >= 3 and p[2] == symbol:
                return int(p[0], 16)
    return None


def entries(runs, dom0, addr, want):
    """How often the block at ADDR, a function's entry, ran on side WANT
    (guest or dom0) in a window's block RUNS (window(..., runs_only)):
    that function's calls there."""
    return sum(n for (va, mp), n in runs.items()
               if va == addr and mp is not None and side((va, mp), dom0) == want)


def calls(run, name, addr, want):
    """entries() of window NAME of RUN; None without the window or dom0's
    frames."""
    mfns = os.path.join(run, "files", "bench", "dom0.mfns")
    runs = window(run, name, True)
    if addr is None or runs is None or not os.path.exists(mfns):
        return None
    return entries(runs, Frames(mfns), addr, want)


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

    def name(s, addr, exact=False):
        """The symbol ADDR lies in; with EXACT, the one starting there
        (None if none does: a block inside a function, or user space)."""
        if s == "xen":
            return xen.exact(addr) if exact else xen.find(addr) or "xen:?"
        a = area(addr)
        if exact:
            found = a == "kernel" and (syms[s].exact(addr) or kmaps[s].exact(addr))
            return f"{s}:{found}" if found else None
        if a == "user" and s == "dom0" and qemu:
            return f"dom0:user {qemu.find(addr, 1 << 64) or '?'}"
        if a != "kernel":
            return f"{s}:{a}"
        found = syms[s].find(addr, 1 << 14) if addr >= 0xffffffffa0000000 else None
        return f"{s}:{found or kmaps[s].find(addr) or '?'}"
    return name


# The VM exits of the HVM and PVH guests by reason, each counted by the
# calls of a Xen function that only that exit's handling calls (4.17's
# svm_vmexit_handler() inlines the handlers themselves).  An exit for a
# physical interrupt, an interrupt window (VINTR), RDTSC or PAUSE has no
# such function: they are in "other".  "interrupt window opened" counts
# the times Xen asked for a VINTR exit because an interrupt was pending
# that the guest could not take yet (IF clear, or one injected already).
EXITS = (
    ("MSR write", "hvm_msr_write_intercept"),
    ("MSR read", "hvm_msr_read_intercept"),
    ("hypercall", "hvm_hypercall"),
    ("HLT", "hvm_hlt"),
    ("nested page fault", "hvm_hap_nested_page_fault"),
    ("port I/O", "handle_pio"),
    ("CPUID", "hvm_vmexit_cpuid"),
    ("CR access", "hvm_mov_to_cr"),
)
EVENTS = (
    ("  of the MSR writes: EOI", "vlapic_EOI_set"),
    ("interrupt window opened", "svm_enable_intr_window"),
    ("interrupts injected", "hvm_vcpu_ack_pending_irq"),
    ("  of them upcalls raised", "hvm_assert_evtchn_irq"),
    ("  of them channel vectors", "hvm_evtchn_vector_inject"),
    ("vCPU kicks", "vcpu_kick"),
    ("physical interrupts in Xen", "do_IRQ"),
)


def tally(win, dom0, namer, calls):
    """Instructions per symbol in window WIN, or with CALLS (WIN then holds
    block runs) its calls: the runs of the block at its start."""
    out = collections.Counter()
    for key, n in win.items():
        s = side(key, dom0)
        if calls:
            sym = namer(s, key[0], True) if s != "other" else None
            if sym:
                out[sym] += n
        elif s == "other":
            out["firmware"] += n
        else:
            out[namer(s, key[0])] += n
            out[f"= {s}" + ("" if s == "xen" else f" {area(key[0])}")] += n
    return out


def exits(count):
    """The exit table's rows from calls per unit COUNT."""
    rows = [("VM exits", count["xen:svm_vmexit_handler"])]
    rows += [(label, count["xen:" + fn]) for label, fn in EXITS]
    rows.append(("other", rows[0][1] - sum(r[1] for r in rows[1:])))
    return rows + [(label, count["xen:" + fn]) for label, fn in EVENTS]


def coverage(run, tag, workload, ios):
    """What share of window TAG-WORKLOAD the workload's I/O filled: the
    I/Os seen against fio's IOPS times the window's length (BENCH_PROF,
    "prof" in the stack's file; before 2026-12-06 the row's runtime less
    one second), or None without its results.
    Well below 1, the window reached outside fio's run (its start or
    end, or the guest's work between workloads) and the per-I/O figures
    carry that work; processes started in the window say the same.
    fio's IOPS is an average over its run, so windows inside it come out
    within about a tenth of 1 either way."""
    d = os.path.join(run, "files", "bench", tag)
    try:
        with open(os.path.join(d, "stack")) as f:
            stack = dict(ln.strip().split("=", 1) for ln in f if "=" in ln)
        length = float(stack.get("prof") or int(stack["runtime"]) - 1)
        with open(os.path.join(d, f"{workload}.json")) as f:
            job = json.load(f)["jobs"][0]
        iops = job["read"]["iops"] + job["write"]["iops"]
    except (OSError, KeyError, ValueError, IndexError):
        return None
    return ios / (iops * length) if iops and length > 0 else None


def unit(run, tag, workload, per, runs, dom0):
    """What to divide window TAG-WORKLOAD's counts by, announced; RUNS are
    its block runs."""
    if per != "io":
        return float(per)
    name = f"{tag}-{workload}"
    n = entries(runs, dom0, kernel_addr("blk_mq_start_request"), "guest")
    if not n:
        sys.exit(f"no block I/O of the guest's in window {name}")
    cov = coverage(run, tag, workload, n)
    share = f" ({100 * cov:.0f}% of fio's IOPS times the window)" if cov else ""
    forks = entries(runs, dom0, kernel_addr("kernel_clone"), "guest")
    print(f"window {name}: the guest started {n} block I/Os{share}"
          f" and {forks} processes")
    return n


def show(a, rows):
    """Print ROWS (label, value per unit of TAG[, of VS]), by size or
    difference, with the sides' totals first for instructions."""
    prec = 0 if a.mode == "insns" else 3
    head = f"{a.tag}" + (f"  against  {a.vs}" if a.vs else "")
    print(f"\nper unit ({a.mode}): {head}")
    for label, v in rows:
        cols = "".join(f"{x:>12,.{prec}f}" for x in v)
        if len(v) == 2:
            cols += f"{v[1] - v[0]:>+12,.{prec}f}"
        print(f"{cols}  {label}")


def ranked(counts, top):
    """The TOP rows of one window's COUNTS by size, or of two by the size
    of their difference; the sides' totals ("= ...") first."""
    def weight(k):
        v = [c.get(k, 0) for c in counts]
        return abs(v[1] - v[0]) if len(v) == 2 else v[0]
    order = sorted(set().union(*counts), key=lambda k: (not k.startswith("= "), -weight(k), k))
    return [(k, [c.get(k, 0) for c in counts]) for k in order[:top]]


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped to head
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("tag")
    ap.add_argument("workload")
    ap.add_argument("--per", default="1", help="a number, or io")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--vs", metavar="TAG2",
                    help="compare with TAG2's window of the same workload")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--calls", dest="mode", action="store_const", const="calls",
                      help="count calls of functions instead of instructions")
    mode.add_argument("--exits", dest="mode", action="store_const", const="exits",
                      help="the guest's VM exits by reason, and its interrupts")
    ap.set_defaults(mode="insns")
    a = ap.parse_args()
    run = a.run if os.path.isdir(a.run) else os.path.join(BUILD, "testbed", "runs", a.run)
    mfns = os.path.join(run, "files", "bench", "dom0.mfns")
    if not os.path.exists(mfns):
        sys.exit(f"no {mfns}: the run did not send dom0's frames")
    dom0 = Frames(mfns)
    counts = []
    for tag in [a.tag] + ([a.vs] if a.vs else []):
        name = f"{tag}-{a.workload}"
        runs = window(run, name, True)
        if runs is None:
            sys.exit(f"no window {name} in {run}/prof")
        per = unit(run, tag, a.workload, a.per, runs, dom0)
        insns = a.mode == "insns"
        c = tally(window(run, name) if insns else runs, dom0, namers(run, tag), not insns)
        counts.append({k: v / per for k, v in c.items()})
    if a.mode == "exits":
        tables = [exits(collections.Counter(c)) for c in counts]
        rows = [(r[0], [t[i][1] for t in tables]) for i, r in enumerate(tables[0])]
        return show(a, rows)
    show(a, ranked(counts, a.top))


if __name__ == "__main__":
    sys.exit(main())
