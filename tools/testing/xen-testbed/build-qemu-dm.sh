#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the testbed's optional device model image, only when its inputs
# changed:
#   build/testbed/dom0-qemu.cpio.gz  Debian's qemu-system-xen (QEMU 7.2
#                                    built for Xen) with the libraries it
#                                    needs that dom0-base lacks, SeaBIOS
#                                    and QEMU's direct kernel boot ROMs
#
# testbed.py appends it to dom0's boot image only in boots whose
# scenarios need a device model (usb_qusb: QEMU's PV USB backend for a PV
# guest; HVM guests), so every other boot keeps dom0-base alone.  The
# files sit where Debian's libxl looks for them: the QEMU binary at
# /usr/libexec/xen-qemu-system-i386 and SeaBIOS at
# /usr/share/seabios/bios-256k.bin (both compiled into libxenlight);
# hvmloader is already in dom0-base (xen-utils-4.17).
#
# The packages are the dependency closure of qemu-system-xen minus the
# packages dom0-base has installed; of them only the QEMU binary, the
# libraries it loads (readelf's NEEDED, recursively) and the firmware
# files below are kept: the rest (QEMU's ROMs for other machines, GStreamer
# data, locales) would triple the image.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/testbed
BASE=$OUT/dom0-base.cpio.gz
QEMU_BIN=/usr/libexec/xen-qemu-system-i386
# What libxl and QEMU read besides the binary and its libraries (QEMU
# reads the keymap of its VNC server even with "-vnc none", and fails
# without it).
QEMU_FILES="/usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot.bin
	/usr/share/qemu/linuxboot_dma.bin /usr/share/qemu/keymaps/en-us"
LIBDIRS="/usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib/xen-4.17/lib/x86_64-linux-gnu"

[ -f "$BASE" ] || die "no $BASE: run build-images.sh first"

# base_packages: the packages dom0-base has installed, one per line.
base_packages() {
	zcat "$BASE" | cpio -i --quiet --to-stdout var/lib/dpkg/status |
		awk '/^Package: / { p = $2 } /^Status: .* installed$/ { print p }' | sort -u
}

# qemu_packages: qemu-system-xen and everything it depends on, one per line.
qemu_packages() {
	apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$QEMU_DM_PKG" 2>/dev/null |
		grep -v -e '^ ' -e '^<' | sort -u
}

# find_lib TREE SONAME: the path (inside TREE) of SONAME, if TREE has it.
find_lib() {
	local d
	for d in $LIBDIRS; do
		[ -e "$1$d/$2" ] && { echo "$d/$2"; return 0; }
	done
	return 1
}

# copy_needed TREE DEST BASELIST: QEMU_BIN from TREE into DEST with every
# library it loads that TREE has (the file and its soname link); a
# library in neither TREE nor BASELIST (dom0-base's file list) is an error.
copy_needed() {
	local tree=$1 dest=$2 list=$3 todo=("$QEMU_BIN") seen=" " f lib p d
	install -D -m755 "$tree$QEMU_BIN" "$dest$QEMU_BIN"
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for lib in $(readelf -d "$tree$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case "$seen" in *" $lib "*) continue ;; esac
			seen+="$lib "
			if p=$(find_lib "$tree" "$lib"); then
				# dom0-base has merged /usr: its /lib is a link
				# that a lib directory here would replace.
				d=/usr${p#/usr}
				d=$(dirname "$d")
				mkdir -p "$dest$d"
				cp -a "$tree$p" "$dest$d/"
				[ -L "$tree$p" ] && cp "$tree$(dirname "$p")/$(readlink "$tree$p")" "$dest$d/"
				todo+=("$p")
			elif ! grep -q "/$lib\$" "$list"; then
				die "$QEMU_BIN needs $lib, which neither dom0-base nor the packages of $QEMU_DM_PKG have"
			fi
		done
	done
}

build_qemu_dm() {
	local pkgs debs=() p key tmp base
	# Like dom0-base, rebuilt when its recipe changes, not on each
	# archive update: dom0-base's own key, this script, QEMU's version.
	key=$( { cat "$BUILD/stamps/dom0" 2>/dev/null || true; cat "$0"
		apt-cache policy "$QEMU_DM_PKG" 2>/dev/null | sed -n 's/^ *Candidate: //p'; } |
		sha256sum | cut -c1-16)
	stamp_ok qemu-dm "$key" && [ -f "$OUT/dom0-qemu.cpio.gz" ] && return 0
	base=$(base_packages)
	pkgs=$(comm -23 <(qemu_packages) <(echo "$base"))
	[ -n "$pkgs" ] || { apt_update_once; pkgs=$(comm -23 <(qemu_packages) <(echo "$base")); }
	echo "$pkgs" | grep -qx "$QEMU_DM_PKG" ||
		die "apt knows no package $QEMU_DM_PKG (or dom0-base has it already)"
	for p in $pkgs; do
		debs+=("$(fetch_deb "$p")")
	done
	log "images: device model image from ${#debs[@]} packages ($QEMU_DM_PKG and the libraries dom0-base lacks)"
	tmp=$(mktemp -d "$BUILD/.qemu-dm.XXXXXX")
	for p in "${debs[@]}"; do
		dpkg -x "$p" "$tmp/tree"
	done
	zcat "$BASE" | cpio -t --quiet >"$tmp/base.list"
	copy_needed "$tmp/tree" "$tmp/root" "$tmp/base.list"
	for p in $QEMU_FILES; do
		[ -f "$tmp/tree$p" ] || die "$p is not in the packages of $QEMU_DM_PKG"
		install -D -m644 "$tmp/tree$p" "$tmp/root$p"
	done
	(cd "$tmp/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/dom0-qemu.cpio.gz"
	rm -rf "$tmp"
	stamp_set qemu-dm "$key"
	log "images: device model image $(du -h "$OUT/dom0-qemu.cpio.gz" | cut -f1)"
}

build_qemu_dm
