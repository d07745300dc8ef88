#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkinc.sh KSRC OUT: make OUT an include directory holding only Xen's
# interface headers from the kernel tree KSRC (symlinks, nothing copied),
# so the tests see the kernel's blkif.h and none of its other headers.
# KSRC may be a full source tree or a Debian linux-headers-*-common tree.
set -e
ksrc=$1
out=$2

# Nothing found by the Makefile: install Debian's headers, as every target
# of this project installs what it needs.
if [ -z "$ksrc" ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
	echo "no kernel headers found: apt-get install linux-headers-amd64" >&2
	apt-get install -y linux-headers-amd64 >&2 || true
	for d in /usr/src/linux-headers-*-common; do
		[ -f "$d/include/xen/interface/io/blkif.h" ] && ksrc=$d
	done
fi

if [ -z "$ksrc" ] || [ ! -f "$ksrc/include/xen/interface/io/blkif.h" ]; then
	echo "error: no kernel tree with include/xen/interface at KSRC='$ksrc'" >&2
	echo "  build the testbed kernel (make kernel), install" >&2
	echo "  linux-headers-amd64, or name one: make KSRC=/path" >&2
	exit 1
fi
arch=$ksrc/arch/x86/include/asm

rm -rf "$out"
mkdir -p "$out/xen" "$out/asm/xen"
ln -s "$ksrc/include/xen/interface" "$out/xen/interface"
for f in interface.h interface_32.h interface_64.h; do
	ln -s "$arch/xen/$f" "$out/asm/xen/$f"
done
for f in pvclock-abi.h emulate_prefix.h; do
	ln -s "$arch/$f" "$out/asm/$f"
done
echo "$ksrc" >"$out/.ksrc"
