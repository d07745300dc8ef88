#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install (from Debian's archive, by name) every package that building,
# testing and benchmarking need, when missing.
set -euo pipefail
. "$(dirname "$0")/../tools/testing/xen-testbed/lib.sh"
need_pkgs build-essential flex bison libelf-dev libssl-dev bc cpio dwarves \
	xz-utils kmod rsync patch python3 qemu-system-x86 mmdebstrap \
	busybox-static debian-archive-keyring sparse shellcheck gnuplot-nox \
	linux-headers-amd64 clang python3-ply dkms dpkg-dev
