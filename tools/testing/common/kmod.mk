# SPDX-License-Identifier: GPL-2.0
#
# The Makefile of a test-only kernel module under tools/testing/NAME: its
# Kbuild names the objects; this builds them against KDIR.
#
#   make KDIR=/path/to/kernel/build

KDIR ?= /lib/modules/$(shell uname -r)/build

.PHONY: all modules clean

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
