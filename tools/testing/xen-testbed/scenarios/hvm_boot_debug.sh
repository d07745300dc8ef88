# SPDX-License-Identifier: GPL-2.0
# hvm_boot_debug hvm [TURNS]: not a test (make check does not run it).
# Boots one HVM guest with its kernel's early console on port 0xe9 (Xen
# prints those lines) and follows its first vCPU with xenctx.  Once the
# guest has run QEMU's linuxboot.bin option ROM (cs c000) and then is
# anywhere else, it pauses the guest, prints its registers and stack,
# and sends back (files/pg-PFN) the pages of the kernel's setup code,
# its command line and SeaBIOS's stack area from an xl dump-core.
# Documentation/benchmark.rst, "HVM rows", is what it found under the
# instruction counter:
#   testbed.py --icount --xen patched --no-prepare --qemu-dm \
#       hvm_boot_debug:hvm,3000
# shellcheck shell=bash

# core_section CORE NAME: "OFFSET SIZE" of section NAME of an ELF64 core.
core_section() {
	local f=$1 shoff shnum shstr stroff k b no name
	shoff=$(od -A n -t u8 -j 40 -N 8 "$f" | tr -d ' ')
	shnum=$(od -A n -t u2 -j 60 -N 2 "$f" | tr -d ' ')
	shstr=$(od -A n -t u2 -j 62 -N 2 "$f" | tr -d ' ')
	stroff=$(od -A n -t u8 -j $((shoff + shstr * 64 + 24)) -N 8 "$f" | tr -d ' ')
	for ((k = 0; k < shnum; k++)); do
		b=$((shoff + k * 64))
		no=$(od -A n -t u4 -j "$b" -N 4 "$f" | tr -d ' ')
		name=$(dd if="$f" bs=1 skip=$((stroff + no)) count=16 2>/dev/null |
		       tr '\0' ' ' | cut -d' ' -f1)
		if [ "$name" = "$2" ]; then
			echo "$(od -A n -t u8 -j $((b + 24)) -N 8 "$f" | tr -d ' ')" \
			     "$(od -A n -t u8 -j $((b + 32)) -N 8 "$f" | tr -d ' ')"
			return 0
		fi
	done
	return 1
}

# send_pages NAME PFN...: the guest's pages PFN (hex) from xl dump-core.
send_pages() {
	local core=/tmp/$1.core pfns pages idx pfn
	xl dump-core "$1" "$core" || fail "xl dump-core $1 failed"
	# (dom0 has no /dev/fd for process substitution.)
	pfns=$(core_section "$core" .xen_pfn) || fail "no .xen_pfn in the core"
	pages=$(core_section "$core" .xen_pages) || fail "no .xen_pages in the core"
	pfns=${pfns% *} pages=${pages% *}
	# One 64-bit pfn per page of .xen_pages, in the same order.
	dd if="$core" bs=4096 iflag=skip_bytes skip="$pfns" count=200 2>/dev/null |
		od -A n -t x8 -v -w8 | tr -d ' ' >/tmp/pfn.list
	shift
	for pfn in "$@"; do
		idx=$(grep -n "^0*$pfn\$" /tmp/pfn.list | head -1 | cut -d: -f1)
		[ -n "$idx" ] || { echo "pfn $pfn is not in the core"; continue; }
		dd if="$core" of="/tmp/pg-$pfn" bs=4096 iflag=skip_bytes \
		   skip=$((pages + (idx - 1) * 4096)) count=1 2>/dev/null
		tb_file "pg-$pfn" "/tmp/pg-$pfn"
	done
	rm -f "$core"
}

xl set-parameters guest_loglvl=all loglvl=all
# The guests' usual config (guest_config), no disk, the kernel's lines
# from its first instruction on.
guest_config h type=hvm disk=none extra="earlyprintk=xen keep_bootcon loglevel=7"
ctx=/usr/lib/xen-4.17/bin/xenctx
[ -x "$ctx" ] || fail "no xenctx in dom0"
xl create /tmp/h.cfg || fail "xl create failed"
d=$(xl domid h) || fail "guest h is gone after xl create"
start=$SECONDS rom=""
for ((turn = 0; turn < ${2:-400}; turn++)); do
	# Under the instruction counter a guest that loops can leave an idle
	# dom0 waiting for its timer for minutes: poll without sleeping
	# once the option ROM runs.
	[ -n "$rom" ] || sleep 3
	at=$($ctx "$d" 0 2>&1 | grep -m1 "cs:eip")
	echo "t=$((SECONDS - start))s ${at:-(no real-mode cs:eip)}"
	case "$at" in
	*c000:*) rom=1 ;;
	*) [ -n "$rom" ] && break ;;
	esac
done
xl pause h
xl list h
$ctx "$d" 0
xl dmesg | grep '(d' | tail -n 20
send_pages h 10 11 20 e8 e9
xl destroy h
