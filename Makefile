# SPDX-License-Identifier: GPL-2.0
#
# Xen paravirtual drivers for Linux: out-of-tree modules, testbed, benchmark.
#
#   make                  build the modules against KDIR (default: the
#                         running kernel's headers)
#   make modules_install  install them under updates/ (they replace the
#                         distribution's copies)
#   make check            run every test; ends with "N passed, N failed"
#   make bench            the fio benchmark on the built-in Xen testbed
#   make soak DURATION=s  fio verify for s seconds (600) while dom0 detaches,
#                         attaches, saves, restores and resizes at random
#   make fuzz             every fuzzer (FUZZ_TIME=s or FUZZ_RUNS=n each)
#   make kernel           the testbed's Linux 6.12 with patches/ applied
#   make patches          the Linux 6.12 patch series, checked, in build/patches/
#   make help             more

KDIR ?= /lib/modules/$(shell uname -r)/build
BUILD ?= $(CURDIR)/build
TB := tools/testing/xen-testbed
PY := python3

export BUILD

.PHONY: all kdir-check modules modules_install clean distclean compat kernel images \
	testbed-modules kselftest check check-static bench soak fuzz deps help patches

all: modules

kdir-check:
	@test -f "$(KDIR)/Makefile" || { \
	  echo "error: no kernel build tree at KDIR=$(KDIR)"; \
	  echo "  install this kernel's headers (apt-get install linux-headers-$$(uname -r))"; \
	  echo "  or name one: make KDIR=/lib/modules/VERSION/build"; exit 1; } >&2

compat: kdir-check
	@scripts/compat-probe.sh $(KDIR) include/compat/generated

modules: compat
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf include/compat/generated

distclean: clean
	rm -rf $(BUILD)

deps:
	@bash scripts/deps.sh

kernel:
	@bash $(TB)/build-kernel.sh

# The whole series (patches/series) in git format-patch form with a cover
# letter, each patch checked: applies, builds, checkpatch and sparse clean.
patches: deps
	@$(PY) scripts/patches.py make

images:
	@bash $(TB)/build-images.sh
	@bash $(TB)/build-qemu-dm.sh

# The project's modules built for the testbed's kernels (6.12 and
# Debian 12's 6.1), into build/modules-612 and build/modules-deb61.
testbed-modules: kernel
	@bash scripts/build-testbed-modules.sh

# The Xen selftests built in the testbed kernel's tree (build/kselftest).
kselftest: kernel
	@bash $(TB)/build-kselftest.sh

check: deps testbed-modules kselftest images
	@$(PY) tools/testing/check.py

check-static: deps
	@$(PY) tools/testing/check.py --static-only

# bench_xenwatch.py's testbed half (8 guests, two boots, about 30
# minutes) runs by hand: make bench runs its simulated half only.
bench: deps testbed-modules images
	@$(PY) $(TB)/bench.py
	@$(PY) $(TB)/bench_xenwatch.py --skip-testbed

# Our frontend and backend under random detaches, attaches, saves,
# restores and resizes for DURATION seconds; not part of make check.
DURATION ?= 600
soak: deps testbed-modules images
	@$(PY) $(TB)/testbed.py --name soak-$(DURATION) \
		--scenario-timeout $$(( $(DURATION) + 900 )) ours+ours/soak:pv,$(DURATION)

# Every libFuzzer target (each suite under tools/testing/ whose Makefile
# names a FUZZER), each for FUZZ_TIME seconds (default 60) or, with
# FUZZ_RUNS=N, for N executions; all run even when one finds a crash.
FUZZ_TIME ?= 60
FUZZ_SUITES = $(patsubst %/Makefile,%,$(shell grep -l '^FUZZER *:= *[a-z]' tools/testing/*/Makefile 2>/dev/null))
fuzz: deps
	@rc=0; for d in $(FUZZ_SUITES); do \
		$(MAKE) --no-print-directory -C $$d fuzz FUZZ_TIME=$(FUZZ_TIME) \
			$(if $(FUZZ_RUNS),FUZZ_RUNS=$(FUZZ_RUNS)) || rc=1; \
	done; exit $$rc

help:
	@sed -n '3,16p' Makefile | sed 's/^# \{0,1\}//'
	@echo "Variables: KDIR=... BUILD=... BENCH_RUNTIME=s BENCH_REPEAT=n DURATION=s"
	@echo "  CHECK_SCENARIOS='queues:pv,2 verify:pv' (make check on a subset)"
