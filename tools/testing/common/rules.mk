# SPDX-License-Identifier: GPL-2.0
#
# Build and run rules of the userspace test suites (tools/testing/blkfront,
# tools/testing/blkback), in the style of tools/testing/radix-tree: each
# test program #includes the .c file it tests and runs under ASan and
# UBSan; the libFuzzer target is built with clang.
#
#   make check              build and run the tests; last line
#                           "N passed, N failed", non-zero exit on failure
#   make fuzz FUZZ_TIME=60  run the libFuzzer target for that many seconds
#   make fuzz FUZZ_RUNS=N   ... or for N executions; either way the last
#                           line says how many ran, and an input that
#                           crashes it is written to regress/, which
#                           fuzz_replay replays from then on: commit it
#   make KSRC=/path ...     take Xen's interface headers from that tree
#                           (default: the testbed's 6.12 source if built,
#                           else an installed linux-headers-*-common)
#
# A suite's Makefile sets these, then includes this file:
#
#   DRIVER        blkfront, blkback, usbback, xenhcd: the programs
#                 #include the protocol core, $(DRIVER_DIR)/$(DRIVER)-proto.[ch]
#   DRIVER_DIR    the driver's directory in the tree (default
#                 drivers/block/xen-$(DRIVER))
#   TESTS         the programs "make check" runs, each built from its .c
#                 file; fuzz_replay among them (the fuzz target without
#                 libFuzzer, under gcc's sanitizers)
#   FUZZER        the libFuzzer target, built from $(FUZZER).c
#   FUZZ_MAX_LEN  the longest input "make fuzz" tries
#   PROTO         instead of DRIVER: the files under test that the
#                 programs #include, for a suite of no block driver
#
# or, for a suite of other code (tools/testing/xenwatch):
#
#   PROTO         the files under test (rebuild when they change)
#   SAN           the sanitizers (default ASan and UBSan)
#   EXTRA_SRCS    more .c files linked into every program
#
# The shim headers in common/shim stand in for the kernel's; a suite's own
# shim/ directory, if it has one, comes first and may add to them.

COMMON_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
REPO := $(abspath $(COMMON_DIR)/../../..)
# The xenpv core, linked into every program as into every module.
CORE := $(REPO)/include/xenpv/core.c
DRIVER_DIR ?= drivers/block/xen-$(DRIVER)
PROTO ?= $(if $(DRIVER),$(REPO)/$(DRIVER_DIR)/$(DRIVER)-proto.c \
	 $(REPO)/$(DRIVER_DIR)/$(DRIVER)-proto.h)
PROTO += $(wildcard $(REPO)/include/xenpv/*.h) $(CORE)

KSRC_CANDIDATES := $(REPO)/build/kernel/src \
	$(sort $(wildcard /usr/src/linux-headers-*-common))
KSRC ?= $(firstword $(foreach d,$(KSRC_CANDIDATES),\
	$(if $(wildcard $(d)/include/xen/interface/io/blkif.h),$(d))))

KINC := kinc
SHIM := $(wildcard shim/linux/*.h) $(wildcard $(COMMON_DIR)/shim/linux/*.h) \
	$(wildcard $(COMMON_DIR)/shim/linux/usb/*.h) \
	$(COMMON_DIR)/shim/linux.c $(wildcard $(COMMON_DIR)/*.h) \
	$(wildcard $(COMMON_DIR)/shim/asm/*.h)
SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=all
BASE_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	       -Wall -Wextra -Werror $(addprefix -I,$(wildcard shim)) \
	       -I$(COMMON_DIR)/shim -I$(KINC) -I$(REPO)/include \
	       -DXENPV_TEST_SHARED
CC := gcc
CFLAGS := $(BASE_CFLAGS) $(SAN)
CLANG ?= clang
FUZZ_CFLAGS := $(BASE_CFLAGS) -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=all
FUZZ_TIME ?= 60
FUZZ_JOBS ?= 1

.PHONY: all check fuzz clean FORCE

all: $(TESTS)

check: $(TESTS)
	@sh $(COMMON_DIR)/run_tests.sh $(TESTS)

# Re-link the header directory when KSRC changes.
$(KINC)/.ksrc: FORCE
	@test "$$(cat $@ 2>/dev/null)" = "$(KSRC)" || \
		sh $(COMMON_DIR)/mkinc.sh "$(KSRC)" $(KINC)

$(TESTS): %: %.c $(SHIM) $(PROTO) $(EXTRA_SRCS) $(KINC)/.ksrc
	$(CC) $(CFLAGS) -o $@ $< $(COMMON_DIR)/shim/linux.c $(CORE) $(EXTRA_SRCS)

ifneq ($(FUZZER),)
fuzz_replay: $(FUZZER).c

$(FUZZER): %: %.c $(SHIM) $(PROTO) $(KINC)/.ksrc
	@command -v $(CLANG) >/dev/null || apt-get install -y clang
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(COMMON_DIR)/shim/linux.c $(CORE)

# libFuzzer's final stats go to fuzz-$(FUZZER).log; the summary line is
# made from them.
fuzz: $(FUZZER)
	@mkdir -p fuzz-corpus regress
	@./$(FUZZER) $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_TIME)) \
		-print_final_stats=1 -artifact_prefix=regress/ \
		-max_len=$(FUZZ_MAX_LEN) $(if $(filter-out 1,$(FUZZ_JOBS)),\
		-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) fuzz-corpus \
		>fuzz-$(FUZZER).log 2>&1; rc=$$?; \
	tail -n 20 fuzz-$(FUZZER).log; \
	awk -v t=$(FUZZER) -v rc=$$rc '/stat::number_of_executed_units/ { n = $$2 } \
		/stat::average_exec_per_sec/ { s = $$2 } \
		END { printf "%s: %d executions (%d/s), %s\n", t, n, s, \
			rc ? "FAILED: crash input in regress/" : "no crash" }' \
		fuzz-$(FUZZER).log; \
	exit $$rc
endif

clean:
	rm -rf $(TESTS) $(FUZZER) $(KINC) fuzz-*.log crash-* leak-* \
		timeout-* oom-*

FORCE:
