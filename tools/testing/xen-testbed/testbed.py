#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot Xen + dom0 under QEMU, run testbed scenarios, collect results.

    testbed.py [options] SCENARIO...

A SCENARIO is "[front[+back]/]file:arg,arg" naming
tools/testing/xen-testbed/scenarios/file.sh, front being the guests'
blkfront ("stock", the default, or "ours") and back the dom0 backend to
switch to before it ("stock" or "ours"; default: keep the one loaded,
TB_BACKEND at boot); its result is called "[front[+back]-]file-arg-arg".
All scenarios of one call run in one boot; one named again runs again (its
k-th log is NAME.k.log). Serial log, per-scenario logs and files the run
sent back are kept under build/testbed/runs/NAME/. Exit status 0 when every
scenario passed.
"""
import argparse
import bisect
import base64
import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

TB = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(TB, "..", "..", ".."))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
IMG = os.path.join(BUILD, "testbed")

# The hypervisor a run boots: "debian" (Debian's xen-hypervisor package as
# it is) or "patched" (Debian's source with patches/xen, build-xen.sh).
XEN_DEFAULT = "debian"
XEN_IMAGES = {"debian": "xen", "patched": "xen-patched"}

# The emulator a run boots: "debian" (the machine's qemu-system-x86_64) or
# "patched" (Debian's source with patches/qemu, build-qemu.sh), which
# delivers an interrupt a nested hypervisor injects once, not twice when
# the instruction counter runs out: the default of --icount runs.
EMULATORS = ("debian", "patched")

# dom0 or Xen lines after which the run cannot go on.
FATAL = ("Hardware Dom0 crashed", "Kernel panic - not syncing", "(XEN) Panic on CPU",
         "@@TB POWEROFF")
MARK = re.compile(r"^(?:\[g:[^\]]*\] )?(@@\S+)(?: (.*))?$")


# A boot run from a thread of its own (the benchmark runs two) names
# itself in its progress lines.
LOG_TAG = threading.local()


def log(msg):
    tag = getattr(LOG_TAG, "name", "")
    print(f"[{time.strftime('%H:%M:%S')}]{' ' + tag + ':' if tag else ''} {msg}",
          file=sys.stderr, flush=True)


def die(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


# dom0's kernel: the testbed's 6.12 (612) or Debian 12's own (deb61), with
# our modules built for it loaded on top ("load the modules on an existing
# distribution", on the dom0 side).
DOM0_KERNELS = ("612", "deb61")


def kernel_release():
    mods = os.path.join(BUILD, "kernel", "modules", "lib", "modules")
    try:
        return sorted(os.listdir(mods))[0]
    except (FileNotFoundError, IndexError):
        die("no kernel build; run 'make kernel' first")


def dom0_kernel(kind):
    """(kernel image, directory holding lib/modules/) of dom0 kernel KIND."""
    if kind == "612":
        return (os.path.join(BUILD, "kernel", "bzImage"),
                os.path.join(BUILD, "kernel", "modules", "lib"))
    deb = os.path.join(IMG, "deb61")
    mods = os.path.join(deb, "modules", "lib")
    if not os.path.isdir(mods):
        die(f"no Debian kernel modules for dom0 in {mods}; run 'make images'")
    return os.path.join(deb, "vmlinuz"), mods


def hypercall_stubs():
    """Where the testbed kernel's PVH guests exit to Xen, as "START END"
    pairs in hex: the hypercall stubs and the x2APIC EOI write.

    QEMU's software SVM now and then triple-faults a PVH guest right at
    such an exit (its VMMCALL, or the WRMSR of the EOI after an upcall,
    seen once right after xl restore); dom0's tb_emulator_fault() knows
    it by a RIP in here.
    """
    syms, addrs = {}, []
    with open(os.path.join(BUILD, "kernel", "obj", "System.map")) as f:
        for ln in f:
            addr, _, name = ln.split()[:3]
            syms.setdefault(name, []).append(int(addr, 16))
            addrs.append(int(addr, 16))
    addrs.sort()
    # xen_hypercall_amd (VMMCALL) is followed by xen_hypercall_intel
    # (VMCALL); each stub is one call and a return, well under 16 bytes.
    ranges = [(syms["xen_hypercall_amd"][0], syms["xen_hypercall_intel"][0] + 16)]
    # The EOI write is a static function in two files: each copy, up to
    # the next symbol.
    ranges += [(a, addrs[bisect.bisect_right(addrs, a)])
               for a in syms["native_apic_msr_eoi"]]
    return " ".join(f"{a:016x} {b:016x}" for a, b in ranges)


def prepare():
    """Build (or find up to date) the kernel and the cached images."""
    for script in ("build-kernel.sh", "build-images.sh", "build-qemu-dm.sh"):
        r = subprocess.run(["bash", os.path.join(TB, script)])
        if r.returncode:
            die(f"{script} failed (exit {r.returncode})")


def xen_image(which):
    """Path of the hypervisor WHICH, building the patched one if it is not
    up to date (build-xen.sh does nothing then)."""
    if which == "patched":
        r = subprocess.run(["bash", os.path.join(TB, "build-xen.sh")])
        if r.returncode:
            die(f"build-xen.sh failed (exit {r.returncode})")
    return os.path.join(IMG, XEN_IMAGES[which])


def emulator(args):
    """(name, binary) of the emulator a run boots: TB_QEMU's binary (for
    debugging), else --emulator's, else the patched one under --icount and
    Debian's without; the patched one is built first if it is not up to
    date (build-qemu.sh does nothing then)."""
    if os.environ.get("TB_QEMU"):
        return "TB_QEMU", os.environ["TB_QEMU"]
    which = getattr(args, "emulator", None) or ("patched" if args.icount else "debian")
    if which not in EMULATORS:
        die(f"unknown emulator '{which}' (known: {', '.join(EMULATORS)})")
    if which == "debian":
        if not shutil.which("qemu-system-x86_64"):
            die("qemu-system-x86_64 not found; run 'make deps' "
                "(or apt-get install qemu-system-x86)")
        return which, "qemu-system-x86_64"
    r = subprocess.run(["bash", os.path.join(TB, "build-qemu.sh")])
    if r.returncode:
        die(f"build-qemu.sh failed (exit {r.returncode})")
    return which, os.path.join(IMG, "qemu", "bin", "qemu-system-x86_64")


def copy(src, dst, mode=None):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copy(src, dst)
    if mode:
        os.chmod(dst, mode)


def pack_cpio(root, out):
    """Pack directory ROOT as a gzip'd newc cpio archive OUT."""
    with open(out, "wb") as f:
        find = subprocess.Popen(["find", "."], cwd=root, stdout=subprocess.PIPE)
        cpio = subprocess.Popen(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root,
                                stdin=find.stdout, stdout=subprocess.PIPE)
        gz = subprocess.Popen(["gzip", "-1"], stdin=cpio.stdout, stdout=f)
        find.stdout.close()
        cpio.stdout.close()
        if gz.wait() or cpio.wait() or find.wait():
            die(f"packing {root} failed")


# Test-only modules (scripts/build-testbed-modules.sh builds them), for
# guests and for dom0; those not built for a kernel are left out.
# tools/testing/xen-kunit: the protocol cores', the watch lanes' and the
# event channel vectors' KUnit suites, run in dom0 and in guests
# (scenario kunit).
KUNIT_MODULES = ("xenpv-core-kunit", "xen-blkfront-rsp-kunit", "xen-blkfront-ring-kunit",
                 "xen-blkfront-recovery-kunit", "xen-blkback-ring-kunit",
                 "xenbus-lanes-kunit", "xen-evtchn-vector-kunit")
GUEST_TEST_MODULES = ("xen-blkhostile", "xen-usbhostile", "xenpv-census",
                      "xen-evtchnhostile", "xen-watchstall") + KUNIT_MODULES
DOM0_TEST_MODULES = ("xen-mfnmap", "xen-blkhostile-back", "xenpv-census",
                     "xen-watchstall") + KUNIT_MODULES


def ours_module(kind, name):
    """Path of this project's NAME.ko built for guest kernel KIND, or None."""
    path = os.path.join(BUILD, f"modules-{kind}", f"{name}.ko")
    return path if os.path.exists(path) else None


def copy_test_modules(kind, root, names):
    """This project's test-only modules NAMES for KIND, to ROOT/tb/mod/test/."""
    for name in names:
        path = ours_module(kind, name)
        if path:
            copy(path, os.path.join(root, "tb", "mod", "test", f"{name}.ko"))


def copy_common(root):
    """common/*.sh, the scripts dom0 and guests both run, as /tb/common/."""
    for f in os.listdir(os.path.join(TB, "common")):
        if f.endswith(".sh"):
            copy(os.path.join(TB, "common", f), os.path.join(root, "tb", "common", f))


def copy_kselftest(root):
    """The Xen selftests (build-kselftest.sh), as /tb/kselftest/xen/."""
    ks = os.path.join(BUILD, "kselftest", "xen")
    if os.path.isdir(ks):
        shutil.copytree(ks, os.path.join(root, "tb", "kselftest", "xen"))


def guest_overlay(run, kind, stock_front):
    """The per-kernel guest overlay: init, scripts, frontend and test modules."""
    root = os.path.join(run, f"guest-{kind}")
    shutil.rmtree(root, ignore_errors=True)
    copy(os.path.join(TB, "guest", "init"), os.path.join(root, "init"), 0o755)
    copy(os.path.join(TB, "guest", "glib.sh"), os.path.join(root, "tb", "glib.sh"))
    for d in ("guest", "bench"):
        for f in os.listdir(os.path.join(TB, d)):
            if f.endswith(".sh") and f != "glib.sh":
                copy(os.path.join(TB, d, f), os.path.join(root, "tb", "guest", f))
    copy(stock_front, os.path.join(root, "tb", "mod", "stock", "xen-blkfront.ko"))
    ours = ours_module(kind, "xen-blkfront")
    if ours:
        copy(ours, os.path.join(root, "tb", "mod", "ours", "xen-blkfront.ko"))
    # Test-only modules (scripts/build-testbed-modules.sh builds them).
    copy_test_modules(kind, root, GUEST_TEST_MODULES)
    copy_kselftest(root)
    copy_common(root)
    copy(build_usbxfer(), os.path.join(root, "tb", "bin", "usbxfer"), 0o755)
    hcd = ours_module(kind, "xen-hcd")
    if hcd:
        copy(hcd, os.path.join(root, "tb", "mod", "ours", "xen-hcd.ko"))
    # Linux's own USB frontend and what a USB disk needs (usb_* scenarios).
    if kind == "612":
        kdir = os.path.join(BUILD, "kernel", "modules", "lib", "modules",
                            kernel_release(), "kernel", "drivers")
        for mod in ("usb/host/xen-hcd", "usb/storage/usb-storage", "scsi/sd_mod"):
            path = os.path.join(kdir, mod + ".ko")
            if os.path.exists(path):
                copy(path, os.path.join(root, "tb", "mod", "stock", os.path.basename(path)))
    out = os.path.join(run, f"guest-{kind}.cpio.gz")
    pack_cpio(root, out)
    shutil.rmtree(root)
    return out


def is_hvm(spec):
    """Whether scenario SPEC runs HVM guests (its first argument is "hvm")."""
    return spec.rpartition("/")[2].partition(":")[2].split(",")[0] == "hvm"


def time_factor(spec):
    """How many scenario timeouts scenario SPEC gets: its file's
    "# tb: timeout xN" line (N), twice that for HVM guests (their boot
    through firmware and the device model), 1 otherwise; tb_run_one in
    dom0 reads the same."""
    f = spec.rpartition("/")[2].split(":")[0]
    n = 1
    try:
        with open(os.path.join(TB, "scenarios", f + ".sh")) as fh:
            m = re.search(r"^# tb: timeout x(\d+)$", fh.read(), re.M)
        if m:
            n = int(m.group(1))
    except OSError:
        pass
    return n * (2 if is_hvm(spec) else 1)


def needs_qemu_dm(spec):
    """Whether scenario SPEC needs a device model (QEMU) in dom0: QEMU's
    PV USB backend (usb_qusb*) or an HVM guest."""
    return "qusb" in spec.rpartition("/")[2].partition(":")[0] or is_hvm(spec)


def dom0_overlay(run, scenarios, env, kind="612", qemu_dm=False):
    """dom0's overlay: init, scenario library, modules, guest images.

    KIND is dom0's kernel; the guests run the testbed's 6.12 or Debian's
    6.1 whichever dom0 runs.  QEMU_DM: the boot image carries Debian's
    qemu-system-xen too (build-qemu-dm.sh), appended after the overlay.
    """
    rel = kernel_release()
    root = os.path.join(run, "dom0-overlay")
    shutil.rmtree(root, ignore_errors=True)
    copy(os.path.join(TB, "dom0", "init"), os.path.join(root, "init"), 0o755)
    copy(os.path.join(TB, "dom0", "tblib.sh"), os.path.join(root, "tb", "tblib.sh"))
    copy(os.path.join(TB, "dom0", "block-phy"),
         os.path.join(root, "etc", "xen", "scripts", "block"), 0o755)
    for d in ("scenarios", "bench"):
        for f in os.listdir(os.path.join(TB, d)):
            if f.endswith(".sh"):
                copy(os.path.join(TB, d, f), os.path.join(root, "tb", "scenarios", f))
    # The base has merged /usr: /lib is a symlink that a "lib" directory
    # in this archive would replace.
    shutil.copytree(dom0_kernel(kind)[1], os.path.join(root, "usr", "lib"),
                    symlinks=True, dirs_exist_ok=True)
    back = ours_module(kind, "xen-blkback")
    if back:
        copy(back, os.path.join(root, "tb", "mod", "ours", "xen-blkback.ko"))
    copy_test_modules(kind, root, DOM0_TEST_MODULES)
    copy_kselftest(root)
    copy_common(root)
    usbback = ours_module(kind, "xen-usbback")
    if usbback:
        copy(usbback, os.path.join(root, "tb", "mod", "ours", "xen-usbback.ko"))
    img = os.path.join(root, "tb", "img")
    copy(os.path.join(BUILD, "kernel", "bzImage"), os.path.join(img, "bzImage"))
    copy(os.path.join(IMG, "deb61", "vmlinuz"), os.path.join(img, "deb61-vmlinuz"))
    stock612 = os.path.join(BUILD, "kernel", "modules", "lib", "modules", rel,
                            "kernel", "drivers", "block", "xen-blkfront.ko")
    copy(guest_overlay(run, "612", stock612), os.path.join(img, "guest-612.cpio.gz"))
    copy(guest_overlay(run, "deb61", os.path.join(IMG, "deb61", "xen-blkfront.ko")),
         os.path.join(img, "guest-deb61.cpio.gz"))
    with open(os.path.join(root, "tb", "run.env"), "w") as f:
        f.write(f"TB_SCENARIOS='{' '.join(scenarios)}'\n")
        f.write(f"TB_HCALL_RIPS='{hypercall_stubs()}'\n")
        f.write(f"export TB_DOM0_KERNEL='{kind}'\n")
        for k, v in sorted(env.items()):
            f.write(f"export {k}='{v}'\n")
    ov = os.path.join(run, "dom0-overlay.cpio.gz")
    pack_cpio(root, ov)
    shutil.rmtree(root)
    initrd = os.path.join(run, "dom0.cpio.gz")
    parts = [os.path.join(IMG, "dom0-base.cpio.gz"), ov]
    if qemu_dm:
        parts.append(os.path.join(IMG, "dom0-qemu.cpio.gz"))
        if not os.path.exists(parts[-1]):
            die("no device model image (dom0-qemu.cpio.gz); run 'make images'")
    with open(initrd, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    return initrd


def qemu_cmd(args, run, initrd, xen, qemu):
    serial = os.path.join(run, "serial.log")
    xen_args = (f"console=com1 com1=115200,8n1 dom0_mem={args.dom0_mem}M,"
                f"max:{args.dom0_mem}M dom0_max_vcpus={args.smp} noreboot "
                f"sync_console loglvl=warning guest_loglvl=warning")
    dom0_args = "console=hvc0 rdinit=/init loglevel=5 clocksource=xen"
    if getattr(args, "dom0_args", ""):
        dom0_args += " " + args.dom0_args.replace(",", ",,")
    kimg = dom0_kernel(getattr(args, "dom0_kernel", "612"))[0]
    cmd = [qemu, "-machine", "q35",
           "-cpu", "qemu64,+svm,+npt",
           "-m", str(args.mem), "-smp", str(args.smp), "-display", "none",
           "-no-reboot", "-monitor", monitor(), "-serial", f"file:{serial}",
           "-kernel", xen, "-append", xen_args,
           "-initrd", f"{kimg} {dom0_args},{initrd}"]
    if getattr(args, "usb", False):
        # A USB 2.0 controller with a disk for the PV USB scenarios: usbif
        # carries no SuperSpeed, so EHCI rather than xHCI; or (--usb-disk-hc
        # xhci) the xHCI below, whose ports are then all USB 2.0.
        disk = os.path.join(run, "usb-disk.img")
        with open(disk, "wb") as f:
            f.truncate(64 << 20)
        on_xhci = usb_disk_bus(args) == "xhci.0"
        # Full-speed devices with isochronous and interrupt endpoints
        # (usb_xfer), on the xHCI's USB 2.0 ports: EHCI takes no full-speed
        # device without companion controllers.
        xhci = ["-device", "qemu-xhci,id=xhci" + (",p3=0" if on_xhci else "")]
        cmd += ["-device", "usb-ehci,id=ehci"] + (xhci if on_xhci else []) + [
                "-drive", f"if=none,id=usbdisk,format=raw,file={disk}",
                "-device", f"usb-storage,bus={usb_disk_bus(args)},port=1,drive=usbdisk,"
                "id=usbstick",
                # dom0 asks for the disk's unplug and replug (usb_unplug).
                "-qmp", f"unix:{os.path.join(run, 'qmp.sock')},server=on,wait=off"]
        cmd += ([] if on_xhci else xhci) + [
                "-audiodev", "none,id=snd0",
                "-device", "usb-audio,bus=xhci.0,audiodev=snd0",
                "-device", "usb-tablet,bus=xhci.0"]
    if args.icount:
        cmd += ["-icount", "shift=3,sleep=off", "-accel", "tcg"]
    else:
        cmd += ["-accel", "tcg,thread=multi"]
    if getattr(args, "profile", False):
        out = os.path.join(run, "prof")
        os.makedirs(out, exist_ok=True)
        cmd += ["-plugin", f"{build_profiler()},serial={serial},out={out},ram={args.mem}"]
    return cmd, serial


def monitor():
    """QEMU's monitor: none, or (TB_QEMU_MONITOR=PATH, for debugging a
    boot) HMP on a Unix socket at PATH, for hmp.py."""
    path = os.environ.get("TB_QEMU_MONITOR")
    return f"unix:{path},server=on,wait=off" if path else "none"


def usb_disk_bus(args):
    """The USB bus QEMU puts the USB disk on (testbed.py --usb-disk-hc)."""
    return f"{getattr(args, 'usb_disk_hc', None) or 'ehci'}.0"


def build_usbxfer():
    """Compile tools/testing/xen-usbxfer (static: the guests' libc may differ)."""
    src = os.path.join(TB, "..", "xen-usbxfer", "usbxfer.c")
    out = os.path.join(BUILD, "usbxfer", "usbxfer")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        if subprocess.call(["gcc", "-O2", "-Wall", "-static", "-o", out, src]):
            die("building tools/testing/xen-usbxfer failed")
    return out


def build_profiler():
    """Compile the instruction-profile QEMU plugin (prof/insnprof.c)."""
    src = os.path.join(TB, "prof", "insnprof.c")
    so = os.path.join(BUILD, "prof", "insnprof.so")
    hdr = os.path.join(TB, "prof", "qemu-plugin-min.h")
    if not os.path.exists(so) or os.path.getmtime(so) < max(os.path.getmtime(src),
                                                            os.path.getmtime(hdr)):
        os.makedirs(os.path.dirname(so), exist_ok=True)
        if subprocess.call(["gcc", "-O2", "-shared", "-fPIC", "-fvisibility=hidden",
                            "-Wall", "-o", so, src, "-lpthread"]):
            die("building the profiling plugin failed")
    return so


def qmp(sock, *cmds):
    """Run QMP commands (name, arguments) on QEMU's monitor socket SOCK;
    the error of the first that fails, or None."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(sock)
        f = s.makefile("rw")
        f.readline()    # the greeting
        for name, arguments in (("qmp_capabilities", {}),) + cmds:
            f.write(json.dumps({"execute": name, "arguments": arguments}) + "\n")
            f.flush()
            while True:
                r = json.loads(f.readline())
                if "event" not in r:
                    break
            if "error" in r:
                return f"{name}: {r['error'].get('desc', r['error'])}"
    return None


class Watch:
    """Follow the serial log as QEMU writes it and print progress.

    "@@TB QEMU unplug" and "@@TB QEMU replug" from dom0 unplug the USB
    disk from its controller and plug it into the same port again (QMP), as a
    user pulls a stick out of the host and puts it back.
    """

    def __init__(self, path, names, rundir=None, usb_bus="ehci.0"):
        self.path, self.names, self.pos, self.buf = path, names, 0, b""
        self.usb_bus = usb_bus
        self.current, self.since, self.done = None, time.time(), {}
        self.fatal, self.begun, self.rundir, self.plugs = None, 0, rundir, 0
        # Seconds each scenario took, in the order they ended (a name
        # run twice has two).
        self.took, self.started = {}, time.time()

    def qemu_request(self, what):
        sock = os.path.join(self.rundir or "", "qmp.sock")
        if what == "unplug":
            cmds = (("device_del", {"id": "usbstick"}),)
        elif what == "replug":
            self.plugs += 1
            node = f"usbdisk{self.plugs}"
            cmds = (("blockdev-add", {"driver": "raw", "node-name": node, "file": {
                        "driver": "file", "filename": os.path.join(self.rundir, "usb-disk.img")}}),
                    ("device_add", {"driver": "usb-storage", "bus": self.usb_bus, "port": "1",
                                    "drive": node, "id": "usbstick"}))
        else:
            log(f"  QEMU request '{what}' unknown: ignored")
            return
        try:
            err = qmp(sock, *cmds)
        except (OSError, ValueError) as e:
            err = str(e)
        log(f"  QEMU: the USB disk's {what} " + (f"failed: {err}" if err else "done"))

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except FileNotFoundError:
            return
        self.pos += len(data)
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for raw in lines:
            self.line(raw.decode("utf-8", "replace").rstrip("\r"))

    def line(self, text):
        m = MARK.match(text)
        if "(XEN) Xen version" in text:
            log("  xen booting")
        if not text.startswith("[g:") and any(p in text for p in FATAL):
            self.fatal = self.fatal or text.strip()
        if not m or text.startswith("[g:"):
            return
        tag, rest = m.group(1), m.group(2) or ""
        if tag == "@@TB" and rest.startswith("MSG "):
            log(f"  {rest[4:]}")
        elif tag == "@@TB" and rest.startswith("QEMU "):
            self.qemu_request(rest[5:].strip())
        elif tag == "@@TB" and rest.startswith("BEGIN "):
            self.current, self.since = rest[6:], time.time()
            self.begun += 1
            if self.begun == 1:
                log(f"  dom0 up after {self.since - self.started:.0f}s")
            log(f"  {self.current}: running ({self.begun} of {len(self.names)})")
        elif tag == "@@TB" and (rest.startswith("PASS ") or rest.startswith("FAIL ")):
            name = rest[5:].split(":")[0]
            took = time.time() - self.since
            log(f"  {name}: {rest[:4]} ({took:.0f}s){rest[5 + len(name):]}")
            self.done[name] = rest[:4]
            self.took.setdefault(name, []).append(round(took))
            self.current = None


def parse_serial(path):
    """Split the serial log into per-scenario results, logs and files."""
    results, files, cur, cur_lines, fname, fbuf = {}, {}, None, [], None, []
    with open(path, "rb") as f:
        lines = f.read().decode("utf-8", "replace").replace("\r", "").split("\n")
    for text in lines:
        m = MARK.match(text)
        tag, rest = (m.group(1), m.group(2) or "") if m else (None, "")
        if fname is not None:
            if tag == "@@END":
                data = b""
                try:
                    data = gzip.decompress(base64.b64decode("".join(fbuf)))
                except (ValueError, OSError, EOFError):
                    pass
                ok = hashlib.sha256(data).hexdigest() == rest.split()[-1]
                files[fname] = data if ok else None
                fname = None
            else:
                fbuf.append(re.sub(r"^\[g:[^\]]*\] ", "", text).strip())
            continue
        if tag == "@@FILE":
            fname, fbuf = rest.strip(), []
            continue
        if cur is not None:
            cur_lines.append(text)
        if tag == "@@TB" and rest.startswith("BEGIN "):
            cur, cur_lines = rest[6:], [text]
        elif tag == "@@TB" and (rest.startswith("PASS ") or rest.startswith("FAIL ")):
            name = rest[5:].split(":")[0]
            reason = rest[5 + len(name) + 2:] if rest.startswith("FAIL") else ""
            # A scenario may be named more than once in a run: each
            # result is kept, in order.
            results.setdefault(name, []).append(
                {"status": rest[:4].lower(), "reason": reason, "log": cur_lines})
            cur, cur_lines = None, []
    return results, files, (cur, cur_lines), lines


def scenario_name(spec):
    """ "[front/]file:a,b" -> "[front-]file-a-b" (front "stock" is implied)."""
    front, _, spec = spec.rpartition("/")
    f, _, a = spec.partition(":")
    name = f + ("-" + a.replace(",", "-") if a else "")
    return f"{front}-{name}" if front and front != "stock" else name


def qemu_lock():
    """Hold the testbed lock for the rest of the process.

    Two emulated machines at once on a 2-core host slow each other down
    more than tenfold and make scenarios time out, so runs queue here,
    on one lock per machine (TB_QEMU_LOCK), whichever checkout they run
    from.
    """
    f = open(os.environ.get("TB_QEMU_LOCK", "/tmp/xen-testbed-qemu.lock"), "w")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log("another testbed run is using QEMU; waiting for it to finish")
        fcntl.flock(f, fcntl.LOCK_EX)
    return f


def run(args):
    names = [scenario_name(s) for s in args.scenarios]
    for s in args.scenarios:
        f = s.rpartition("/")[2].split(":")[0]
        if not os.path.exists(os.path.join(TB, "scenarios", f + ".sh")) and \
           not os.path.exists(os.path.join(TB, "bench", f + ".sh")):
            die(f"unknown scenario '{f}' (see tools/testing/xen-testbed/scenarios/)")
    if not args.no_prepare:
        prepare()
    for tool in ("cpio", "gzip"):
        if not shutil.which(tool):
            die(f"{tool} not found; run 'make deps' (or apt-get install cpio gzip)")
    emu, qemu = emulator(args)
    rundir = os.path.join(IMG, "runs", args.name)
    shutil.rmtree(rundir, ignore_errors=True)
    os.makedirs(rundir)
    which = getattr(args, "xen", None) or XEN_DEFAULT
    xen = getattr(args, "xen_image", None) or xen_image(which)
    env = dict(kv.split("=", 1) for kv in args.env)
    env.setdefault("TB_SCENARIO_TIMEOUT", str(args.scenario_timeout))
    env.setdefault("TB_XEN", which)
    kind = getattr(args, "dom0_kernel", "612")
    if kind not in DOM0_KERNELS:
        die(f"unknown dom0 kernel '{kind}' (known: {', '.join(DOM0_KERNELS)})")
    if getattr(args, "profile", False) and not args.icount:
        die("--profile counts exactly only under the instruction counter: add --icount")
    qemu_dm = getattr(args, "qemu_dm", False) or any(needs_qemu_dm(s) for s in args.scenarios)
    initrd = dom0_overlay(rundir, args.scenarios, env, kind, qemu_dm)
    cmd, serial = qemu_cmd(args, rundir, initrd, xen, qemu)
    with open(os.path.join(rundir, "qemu.cmd"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    # dom0 gives a scenario its time factor's timeouts (tb_run_one).
    limit = args.timeout or (150 + sum(args.scenario_timeout * time_factor(s)
                                       for s in args.scenarios))
    # The benchmark holds the lock itself around its boots.
    lock = None if getattr(args, "locked", False) else qemu_lock()
    log(f"booting {which} Xen under {emu} QEMU "
        f"({'icount' if args.icount else 'multi-threaded TCG'}, "
        f"{args.smp} CPUs, dom0 kernel {kind}{', QEMU device model' if qemu_dm else ''}), "
        f"{len(names)} scenario(s), hard limit {limit}s; "
        f"serial log: {os.path.relpath(serial)}")
    start = time.time()
    proc = subprocess.Popen(["timeout", "-k", "10", str(limit)] + cmd,
                            stdin=subprocess.DEVNULL, stderr=open(
                                os.path.join(rundir, "qemu.stderr"), "w"))
    w, beat = Watch(serial, names, rundir, usb_disk_bus(args)), time.time()
    while proc.poll() is None:
        time.sleep(1)
        w.poll()
        if w.fatal and not w.fatal.startswith("@@TB"):
            log(f"  fatal: {w.fatal}; stopping QEMU")
            time.sleep(2)
            proc.terminate()
            break
        if w.fatal:
            # dom0 powered off; give Xen a moment, then make sure QEMU ends.
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.terminate()
            break
        if time.time() - beat >= 60:
            beat = time.time()
            what = f"in {w.current} for {time.time() - w.since:.0f}s" if w.current \
                else "booting or between scenarios"
            log(f"  still running ({time.time() - start:.0f}s), {what}")
    proc.wait()
    if lock:
        lock.close()
    w.poll()
    timed_out = proc.returncode == 124 or proc.returncode == 137
    log(f"QEMU exited after {time.time() - start:.0f}s"
        + (f": killed at the {limit}s hard limit" if timed_out else ""))
    fatal = w.fatal if w.fatal and not w.fatal.startswith("@@TB") else None
    return report(rundir, serial, names, timed_out, limit, proc.returncode, fatal, w.took)


def report(rundir, serial, names, timed_out, limit, qrc, fatal=None, took=None):
    """Write RUNDIR/results.json (each scenario's status, reason, log and,
    where TOOK has it, the seconds it took) and print each failure."""
    results, files, (cur, cur_lines), lines = parse_serial(serial)
    fdir = os.path.join(rundir, "files")
    for fname, data in files.items():
        if data is None:
            log(f"warning: file {fname} arrived damaged (checksum mismatch)")
            continue
        p = os.path.join(fdir, fname)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    out, seen = [], {}
    for n in names:
        # The k-th time a name appears in the run gets its k-th result,
        # and its own log file (NAME.log, NAME.2.log, ...).
        k = seen[n] = seen.get(n, 0) + 1
        r = results[n][k - 1] if len(results.get(n, [])) >= k else None
        logname = f"{n}.log" if k == 1 else f"{n}.{k}.log"
        if r is None:
            why = ("timed out: QEMU killed at the run's hard limit of "
                   f"{limit}s" if timed_out else
                   f"no result: the run ended before it ({fatal})" if fatal else
                   f"no result: the run ended (QEMU exit {qrc}) before it")
            log_lines = cur_lines if cur == n else lines[-200:]
            r = {"status": "fail", "reason": why, "log": log_lines}
        with open(os.path.join(rundir, logname), "w") as f:
            f.write("\n".join(r["log"]) + "\n")
        out.append({"name": n, "status": r["status"], "reason": r["reason"],
                    "log": os.path.relpath(os.path.join(rundir, logname))})
        if took and len(took.get(n, [])) >= k:
            out[-1]["seconds"] = took[n][k - 1]
        if r["status"] != "pass":
            tail = [ln for ln in r["log"] if ln.strip()][-25:]
            print(f"FAIL {n}: {r['reason']}\n  log: {out[-1]['log']}\n  last lines:",
                  file=sys.stderr)
            for ln in tail:
                print(f"    | {ln}", file=sys.stderr)
    with open(os.path.join(rundir, "results.json"), "w") as f:
        json.dump(out, f, indent=1)
    return 0 if all(r["status"] == "pass" for r in out) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    ap.add_argument("--name", default="adhoc", help="run directory name")
    ap.add_argument("--icount", action="store_true",
                    help="QEMU instruction counter (deterministic cost figures)")
    ap.add_argument("--smp", type=int, default=2, help="host CPUs for Xen (default 2)")
    ap.add_argument("--xen", choices=sorted(XEN_IMAGES), default=XEN_DEFAULT,
                    help="hypervisor: Debian's package, or built from Debian's source "
                    f"with patches/xen (default {XEN_DEFAULT})")
    ap.add_argument("--xen-image", metavar="FILE",
                    help="boot this hypervisor image instead, as if it were --xen's "
                    "(a Xen built by hand, for example)")
    ap.add_argument("--emulator", choices=EMULATORS,
                    help="the QEMU that runs the testbed: Debian's qemu-system-x86_64 "
                    "(default without --icount) or the one build-qemu.sh builds with "
                    "patches/qemu (default with --icount)")
    ap.add_argument("--mem", type=int, default=6144, help="QEMU memory in MiB")
    ap.add_argument("--dom0-mem", type=int, default=2048, help="dom0 memory in MiB")
    ap.add_argument("--timeout", type=int, default=0, help="hard limit for the whole boot")
    ap.add_argument("--scenario-timeout", type=int, default=300)
    ap.add_argument("--dom0-args", default="", metavar="ARGS",
                    help="more kernel parameters for dom0 (xenbus.watch_lanes=0)")
    ap.add_argument("--env", action="append", default=[], metavar="K=V",
                    help="variable for dom0's scenarios (TB_BACKEND, TB_FRONT, ...)")
    ap.add_argument("--profile", action="store_true",
                    help="count instructions per code block (prof/insnprof.c); "
                    "\"@@PROF start NAME\" ... \"@@PROF stop NAME\" on the console "
                    "writes what ran in between to prof/NAME.txt")
    ap.add_argument("--dom0-kernel", default="612", choices=DOM0_KERNELS,
                    help="dom0's kernel: the testbed's 6.12 (default) or Debian 12's "
                    "own 6.1 (deb61), our backend built for it")
    ap.add_argument("--no-prepare", action="store_true",
                    help="do not (re)build the kernel and images first")
    ap.add_argument("--usb", action="store_true",
                    help="give dom0 an EHCI controller with a 64 MiB USB disk "
                    "(on by itself when a scenario's name starts with usb_)")
    ap.add_argument("--usb-disk-hc", choices=("ehci", "xhci"), default="ehci",
                    help="the USB disk's controller in dom0: EHCI (default), or the "
                    "xHCI with USB 2.0 ports only (no frame timer paces its transfers)")
    ap.add_argument("--qemu-dm", action="store_true",
                    help="put Debian's qemu-system-xen into dom0 as device model "
                    "(on by itself for usb_qusb scenarios and HVM guests)")
    args = ap.parse_args()
    args.usb = args.usb or any(s.rpartition("/")[2].startswith("usb_")
                               for s in args.scenarios)
    sys.exit(run(args))


if __name__ == "__main__":
    main()
