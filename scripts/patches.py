#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The project's Linux 6.12 patch series, made from patches/series.

    patches.py make             write the series in git format-patch form,
                                with a cover letter, to build/patches/,
                                checking that each step applies to Debian's
                                linux-source-6.12, compiles what it
                                touches and is checkpatch --strict and
                                sparse clean
    patches.py apply --core DIR apply the core steps to the kernel tree DIR
                                (what the testbed kernel carries)
    patches.py inputs --core    the files the core steps are made of, one a
                                line
    patches.py key --core       a hash of the core steps: what they do and
                                their files' contents (build-kernel.sh
                                rebuilds the testbed kernel when it changes,
                                not when a step that is not core does)

patches/series lists the steps and says how to write one.
`make patches` keeps a git tree of the pristine source and a kernel build
directory under build/series/, made once per source package, so a rerun
compiles only what the steps touch.
"""
import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
PATCHES = os.path.join(TOP, "patches")
TB = os.path.join(TOP, "tools", "testing", "xen-testbed")
SERIES = os.path.join(BUILD, "series")
TREE = os.path.join(SERIES, "linux")
OBJ = os.path.join(SERIES, "obj")
OUT = os.path.join(BUILD, "patches")
JOBS = str(min(os.cpu_count() or 1, 2))


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def die(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, cwd=None, check=True, **kw):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, **kw)
    if check and r.returncode:
        die(f"{' '.join(cmd)} failed:\n{(r.stdout + r.stderr)[-3000:]}")
    return r


class Step:
    """One patch: its name, message file and what it does to the tree."""

    def __init__(self, name, core, line):
        self.name, self.core, self.line = name, core, line
        self.add, self.remove, self.diff = [], [], []
        self.probe_header, self.build_y, self.selftest = [], [], []
        self.build_m = []

    @property
    def msg(self):
        return os.path.join(PATCHES, self.name + ".msg")


def parse_series():
    """patches/series: "step NAME [core]" lines, each followed by its actions."""
    path = os.path.join(PATCHES, "series")
    steps, actions = [], {"add": "add", "remove": "remove", "diff": "diff",
                          "probe-header": "probe_header", "build-y": "build_y",
                          "build-m": "build_m", "selftest": "selftest"}
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            words = raw.split("#", 1)[0].split()
            if not words:
                continue
            if words[0] == "step" and len(words) in (2, 3):
                if len(words) == 3 and words[2] != "core":
                    die(f"{path}:{n}: step NAME [core], not {raw.strip()!r}")
                steps.append(Step(words[1], len(words) == 3, n))
            elif words[0] in actions and steps and len(words) > 1:
                getattr(steps[-1], actions[words[0]]).extend(words[1:])
            else:
                die(f"{path}:{n}: cannot read {raw.strip()!r}")
    for s in steps:
        if not os.path.exists(s.msg):
            die(f"{path}:{s.line}: no commit message {os.path.relpath(s.msg, TOP)}")
        if len(s.build_m) % 2:
            die(f"{path}:{s.line}: build-m SYMBOL DIR, in pairs")
        if s.core and s.probe_header:
            die(f"{path}:{s.line}: a core step cannot write a probe header")
    return steps


def project_files(path):
    """The tracked files at or under PATH in this repository."""
    out = run(["git", "ls-files", "--", path], cwd=TOP).stdout.split()
    out = [f for f in out if "/probes/" not in f and "/generated/" not in f]
    if not out:
        die(f"patches/series adds {path}, which git does not track")
    return out


def step_inputs(step):
    files = [os.path.join(TOP, f) for p in step.add for f in project_files(p)]
    files += [os.path.join(PATCHES, d) for d in step.diff]
    return files


def steps_key(steps):
    """A hash of STEPS: their names, actions and input files' contents."""
    h = hashlib.sha256()
    for s in steps:
        h.update(repr((s.name, s.add, s.remove, s.diff, s.probe_header)).encode())
        for f in step_inputs(s):
            h.update(os.path.relpath(f, TOP).encode() + b"\0")
            with open(f, "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()[:16]


def apply_step(step, tree, build_dir=None):
    """Do STEP to the kernel tree TREE (a plain directory or git tree)."""
    for f in step.remove:
        p = os.path.join(tree, f)
        if not os.path.isfile(p):
            die(f"step {step.name}: {f} is not in the tree to remove")
        os.remove(p)
    for path in step.add:
        for f in project_files(path):
            dst = os.path.join(tree, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(os.path.join(TOP, f), dst)
    for hdr in step.probe_header:
        write_probe_header(os.path.join(tree, hdr), build_dir)
    for d in step.diff:
        with open(os.path.join(PATCHES, d)) as f:
            r = subprocess.run(["patch", "-p1", "-s", "--batch", "--forward",
                                "--no-backup-if-mismatch", "-d", tree], stdin=f,
                               capture_output=True, text=True)
        if r.returncode:
            die(f"step {step.name}: patches/{d} does not apply:\n{r.stdout}{r.stderr}")


def write_probe_header(dst, build_dir):
    """The drivers' compat header for this kernel, from their own probes."""
    if not build_dir:
        die("a probe header needs the series' kernel build")
    tmp = os.path.join(SERIES, "probes")
    run(["bash", os.path.join(TOP, "scripts", "compat-probe.sh"), build_dir, tmp])
    with open(os.path.join(tmp, "compat-probes.h")) as f:
        have = re.findall(r"^#define (COMPAT_HAVE_\w+) 1 /\* (.*) \*/$", f.read(), re.M)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "w") as f:
        f.write("/* SPDX-License-Identifier: GPL-2.0 */\n"
                "/* What this kernel has, as include/compat/probes found it. */\n"
                "#ifndef _XEN_PV_COMPAT_PROBES_H\n#define _XEN_PV_COMPAT_PROBES_H\n\n")
        for sym, desc in have:
            f.write(f"/* {desc} */\n#define {sym} 1\n")
        f.write("\n#endif\n")


# ---- make: the series as git commits, checked ----

def source_deb():
    r = run(["bash", "-c", f". {TB}/lib.sh; fetch_deb $KSRC_PKG"])
    return r.stdout.strip()


def pristine_tree():
    """build/series/linux: git tree of the source package, tag "base"."""
    deb = source_deb()
    stamp = os.path.join(SERIES, "base.stamp")
    if os.path.exists(stamp) and open(stamp).read() == os.path.basename(deb):
        return
    log(f"series: a git tree of {os.path.basename(deb)} (once, about 2 minutes)")
    shutil.rmtree(SERIES, ignore_errors=True)
    os.makedirs(TREE)
    tmp = os.path.join(SERIES, "deb")
    run(["dpkg", "-x", deb, tmp])
    tarball = glob.glob(os.path.join(tmp, "usr", "src", "linux-source-*.tar.xz"))[0]
    run(["tar", "-xJf", tarball, "-C", TREE, "--strip-components=1"])
    shutil.rmtree(tmp)
    git = ["git", "-c", "user.name=make patches", "-c", "user.email=patches@localhost"]
    run(["git", "init", "-q"], cwd=TREE)
    run(["git", "config", "gc.auto", "0"], cwd=TREE)
    run(["git", "add", "-A", "-f", "."], cwd=TREE)
    run(git + ["commit", "-q", "-m", f"Linux 6.12 ({os.path.basename(deb)})"], cwd=TREE)
    run(["git", "tag", "base"], cwd=TREE)
    with open(stamp, "w") as f:
        f.write(os.path.basename(deb))


def kernel_build():
    """build/series/obj: configured, prepared; the drivers built in (=y)."""
    frag = os.path.join(TB, "kernel.config")
    ycfg = os.path.join(SERIES, "builtin.config")
    with open(ycfg, "w") as f:
        f.write("CONFIG_XEN_BLKDEV_FRONTEND=y\nCONFIG_XEN_BLKDEV_BACKEND=y\n")
    key = open(frag).read() + open(ycfg).read()
    stamp = os.path.join(SERIES, "obj.stamp")
    if os.path.exists(stamp) and open(stamp).read() == key:
        return
    log("series: configuring and preparing its kernel build (once, a few minutes)")
    shutil.rmtree(OBJ, ignore_errors=True)
    os.makedirs(OBJ)
    make = ["make", "-s", "-C", TREE, f"O={OBJ}", "ARCH=x86_64"]
    run(make + ["tinyconfig"])
    run([os.path.join(TREE, "scripts", "kconfig", "merge_config.sh"), "-m", "-O", OBJ,
         os.path.join(OBJ, ".config"), os.path.join(TREE, "kernel", "configs", "xen.config"),
         os.path.join(TREE, "arch", "x86", "configs", "xen.config"), frag, ycfg], cwd=OBJ)
    run(make + ["olddefconfig"])
    run(make + [f"-j{JOBS}", "modules_prepare"])
    with open(stamp, "w") as f:
        f.write(key)


def reset_tree():
    run(["git", "checkout", "-q", "-f", "-B", "series", "base"], cwd=TREE)
    run(["git", "clean", "-fdxq", "-e", ".checkpatch-camelcase.*"], cwd=TREE)


def commit_step(step, ident, date):
    """Commit the step's changes; its message gets a Signed-off-by line."""
    env = git_env(ident, date)
    # -f: Debian's .gitignore ignores everything at the top level.
    run(["git", "add", "-A", "-f", "--", ".", ":!.checkpatch-camelcase.*"], cwd=TREE)
    run(["git", "commit", "-q", "-s", "-F", step.msg], cwd=TREE, env=env)
    return run(["git", "diff", "--name-only", "HEAD~1", "HEAD"], cwd=TREE).stdout.split()


def build_step(step, touched):
    """Compile what the step touches (and its built-in drivers), with sparse.

    Return a list of problems, empty when it builds warning-free.
    """
    # Kbuild's objects; user-space programs under tools/ build their own way.
    targets = [f[:-2] + ".o" for f in touched if f.endswith(".c") and
               not f.startswith("tools/") and os.path.exists(os.path.join(TREE, f))]
    targets += step.build_y
    modules = list(zip(step.build_m[::2], step.build_m[1::2]))
    for sym, d in modules:
        run([os.path.join(TREE, "scripts", "config"), "--file",
             os.path.join(OBJ, ".config"), "--module", sym])
        targets += [os.path.relpath(c, TREE)[:-2] + ".o"
                    for c in glob.glob(os.path.join(TREE, d, "*.c"))]
    if modules or any(f.endswith("Kconfig") for f in touched):
        run(["make", "-s", "-C", TREE, f"O={OBJ}", "ARCH=x86_64", "olddefconfig"])
    bad = []
    if targets:
        r = run(["make", "-C", TREE, f"O={OBJ}", "ARCH=x86_64", f"-j{JOBS}", "C=2",
                 "CHECK=sparse"] + targets, check=False)
        bad = build_problems(r)
    for d in step.build_y:
        if not os.path.exists(os.path.join(OBJ, d, "built-in.a")):
            bad.append(f"{d} was not built in (=y)")
    bad += modules_problems(modules)
    for t in step.selftest:
        bad += [f"selftest {t}: {b}" for b in build_selftest(t)]
    return bad


def modules_problems(modules):
    """Each (SYMBOL, DIR) of build-m: SYMBOL stayed =m in the series'
    config and DIR's sources were compiled."""
    bad = []
    with open(os.path.join(OBJ, ".config")) as f:
        config = f.read()
    for sym, d in modules:
        if f"\nCONFIG_{sym}=m\n" not in config:
            bad.append(f"CONFIG_{sym} is not =m (its dependencies?)")
        srcs = glob.glob(os.path.join(TREE, d, "*.c"))
        missing = [os.path.basename(c) for c in srcs if not os.path.exists(
            os.path.join(OBJ, d, os.path.basename(c)[:-2] + ".o"))]
        if not srcs or missing:
            bad.append(f"{d}: not compiled with CONFIG_{sym}=m: {missing or 'no sources'}")
    return bad


def build_problems(r):
    """The warning and error lines of a make run R (its tail if it failed
    without any)."""
    out = r.stdout + r.stderr
    bad = [ln for ln in out.splitlines() if re.search(r"\b(warning|error):", ln)]
    if r.returncode and not bad:
        bad = out.strip().splitlines()[-10:]
    return bad


def build_selftest(target):
    """Build kselftest TARGET as a user does, "make -C tools/testing/selftests
    TARGETS=TARGET", against the series' kernel headers; its problems."""
    out = os.path.join(SERIES, "kselftest", target)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    r = run(["make", "-C", os.path.join(TREE, "tools", "testing", "selftests"),
             f"TARGETS={target}", f"O={out}", f"-j{JOBS}"], check=False)
    return build_problems(r)


def checkpatch(patch):
    # CamelCase is not checked, as in check.py: the only such names are
    # Xen's ABI (XenbusState*), which checkpatch cannot tell from ours.
    r = run(["perl", os.path.join(TREE, "scripts", "checkpatch.pl"), "--strict",
             "--terse", "--show-types", "--ignore", "CAMELCASE", patch],
            cwd=TREE, check=False)
    return [ln for ln in r.stdout.splitlines() if re.search(r": (ERROR|WARNING|CHECK):", ln)]


def git_env(ident, date):
    return dict(os.environ, GIT_AUTHOR_NAME=ident[0], GIT_AUTHOR_EMAIL=ident[1],
                GIT_COMMITTER_NAME=ident[0], GIT_COMMITTER_EMAIL=ident[1],
                GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)


def write_series(ident, date):
    """git format-patch the steps, with the cover letter of patches/cover.msg."""
    shutil.rmtree(OUT, ignore_errors=True)
    run(["git", "format-patch", "-q", "--cover-letter", "--no-signature",
         "-o", OUT, "base..series"], cwd=TREE, env=git_env(ident, date))
    with open(os.path.join(PATCHES, "cover.msg")) as f:
        subject, _, blurb = f.read().partition("\n\n")
    cover = os.path.join(OUT, "0000-cover-letter.patch")
    with open(cover) as f:
        text = f.read()
    stamp = run(["git", "log", "-1", "--format=%cD", "series"], cwd=TREE).stdout.strip()
    text = re.sub(r"^Date: .*$", f"Date: {stamp}", text, count=1, flags=re.M)
    text = text.replace("*** SUBJECT HERE ***", subject.strip())
    text = text.replace("*** BLURB HERE ***", blurb.strip())
    with open(cover, "w") as f:
        f.write(text)
    return sorted(glob.glob(os.path.join(OUT, "0*.patch")))


def identity():
    name = run(["git", "config", "user.name"], cwd=TOP).stdout.strip()
    email = run(["git", "config", "user.email"], cwd=TOP).stdout.strip()
    date = run(["git", "log", "-1", "--format=%cI", "--", "patches"], cwd=TOP).stdout.strip()
    return (name, email), date or "2026-01-01T00:00:00+00:00"


def make_series(steps):
    start = time.time()
    pristine_tree()
    kernel_build()
    reset_tree()
    ident, date = identity()
    problems = {}
    for i, step in enumerate(steps, 1):
        apply_step(step, TREE, OBJ)
        touched = commit_step(step, ident, date)
        t = time.time()
        bad = build_step(step, touched)
        problems[step.name] = [f"build: {b}" for b in bad]
        log(f"series: {i}/{len(steps)} {step.name}: {len(touched)} files, "
            f"{'builds' if not bad else 'BUILD PROBLEMS'} ({time.time() - t:.0f}s)")
    files = write_series(ident, date)
    for step, patch in zip(steps, files[1:]):
        problems[step.name] += [f"checkpatch: {b}" for b in checkpatch(patch)]
    nbad = 0
    for step, patch in zip(steps, files[1:]):
        for p in problems[step.name]:
            print(f"{os.path.basename(patch)}: {p}")
            nbad += 1
    log(f"series: {len(steps)} patches and a cover letter in {os.path.relpath(OUT)}/ "
        f"({time.time() - start:.0f}s); {nbad} problem(s)")
    return 1 if nbad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("make", "apply", "inputs", "key"))
    ap.add_argument("dir", nargs="?", help="kernel tree (apply)")
    ap.add_argument("--core", action="store_true", help="the core steps only")
    args = ap.parse_intermixed_args()
    steps = [s for s in parse_series() if s.core or not args.core]
    if args.command == "inputs":
        print("\n".join(sorted({f for s in steps for f in step_inputs(s)})))
    elif args.command == "key":
        print(steps_key(steps))
    elif args.command == "apply":
        if not args.dir or not os.path.isdir(args.dir):
            die("apply needs a kernel tree")
        for s in steps:
            apply_step(s, args.dir)
    else:
        if args.core:
            die("make writes the whole series")
        sys.exit(make_series(steps))


if __name__ == "__main__":
    main()
