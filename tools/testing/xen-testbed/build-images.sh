#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the testbed's cached images, each only when its inputs changed:
#   build/testbed/xen                 Xen 4.17 (multiboot ELF) from Debian
#   build/testbed/dom0-base.cpio.gz   dom0 root file system (mmdebstrap)
#                                     with the guest base image inside it
#   build/testbed/fio                 fio for the guests (static, from
#                                     Debian's source package)
#   build/testbed/deb61/              Debian 12's distribution kernel
#                                     (vmlinuz, its xen-blkfront.ko for
#                                     guests, modules/ for a dom0)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs mmdebstrap cpio gzip xz-utils qemu-system-x86 busybox-static \
	debian-archive-keyring
OUT=$BUILD/testbed
mkdir -p "$OUT"

build_xen() {
	local deb tmp
	deb=$(fetch_deb "$XEN_PKG")
	stamp_ok xen "$(basename "$deb")" && [ -f "$OUT/xen" ] && return 0
	tmp=$(mktemp -d "$BUILD/.deb.XXXXXX")
	dpkg -x "$deb" "$tmp"
	zcat "$tmp"/boot/xen-4.17-amd64.gz >"$OUT/xen"
	rm -rf "$tmp"
	stamp_set xen "$(basename "$deb")"
	log "images: xen ready"
}

# image_pkg: the kernel package that linux-image-amd64 depends on.
image_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1
}

# The modules a dom0 running Debian's kernel loads (tb_start_toolstack,
# tb_make_disks, tb_load_backend), with what they depend on, into
# deb61/modules/ with their own modules.dep: the package ships none, and
# all of its 4000 modules would make dom0's boot image 300 MB larger.
DEB61_DOM0_MODS="xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback
	null_blk brd configfs"
deb61_dom0_modules() {
	local pkg=$1 rel=$2 dst=$OUT/deb61/modules m f
	depmod -b "$pkg" "$rel" || die "depmod of Debian's $rel modules failed"
	rm -rf "$dst"
	for m in $DEB61_DOM0_MODS; do
		modprobe -d "$pkg" -S "$rel" --show-depends "$m" ||
			die "Debian's kernel $rel has no module $m"
	done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r f; do
		install -D -m644 "$f" "$dst${f#"$pkg"}"
	done
	cp "$pkg/lib/modules/$rel"/modules.{builtin,builtin.modinfo,order} \
		"$dst/lib/modules/$rel/"
	depmod -b "$dst" "$rel" || die "depmod of dom0's Debian modules failed"
}

# The distribution kernel that linux-image-amd64 points at, run as a guest
# and, with the modules above, as dom0.
build_deb61() {
	local pkg deb tmp key
	pkg=$(image_pkg)
	[ -n "$pkg" ] || { apt_update_once; pkg=$(image_pkg); }
	[ -n "$pkg" ] || die "cannot find the package behind linux-image-amd64"
	deb=$(fetch_deb "$pkg")
	key=$( { basename "$deb"; echo "$DEB61_DOM0_MODS"; } | sha256sum | cut -c1-16)
	stamp_ok deb61 "$key" && [ -f "$OUT/deb61/vmlinuz" ] && return 0
	tmp=$(mktemp -d "$BUILD/.deb.XXXXXX")
	dpkg -x "$deb" "$tmp"
	rm -rf "$OUT/deb61" && mkdir -p "$OUT/deb61"
	cp "$tmp"/boot/vmlinuz-* "$OUT/deb61/vmlinuz"
	ls "$tmp"/lib/modules >"$OUT/deb61/release"
	cp "$tmp"/lib/modules/*/kernel/drivers/block/xen-blkfront.ko "$OUT/deb61/"
	deb61_dom0_modules "$tmp" "$(cat "$OUT/deb61/release")"
	rm -rf "$tmp"
	stamp_set deb61 "$key"
	log "images: Debian kernel $(cat "$OUT/deb61/release") ready"
}

# copy_with_libs ROOT DEST BIN...: copy binaries from ROOT into DEST
# together with every shared library they load (files and soname links).
copy_with_libs() {
	local root=$1 dest=$2 b lib
	shift 2
	for b in "$@"; do
		install -D -m755 "$root$b" "$dest$b"
		chroot "$root" /usr/bin/ldd "$b" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }' |
		while read -r lib; do
			[ -n "$lib" ] || continue
			mkdir -p "$dest$(dirname "$lib")"
			cp "$root$(chroot "$root" readlink -f "$lib")" "$dest$lib"
		done
	done
}

# fio for the guests, built from Debian's own source package (the same
# 3.33 as dom0's) with only what the scenarios use, linked statically:
# Debian's binary loads 30 libraries (Ceph's, GlusterFS's, RDMA's, ICU's
# data through libxml2), 33 of the 37 MB that the guest image was.  Every
# guest unpacks its image at boot, and an HVM guest's comes through
# QEMU's fw_cfg one port read at a time.
FIO_CONFIGURE="--build-static --disable-native --disable-numa --disable-rdma
	--disable-rados --disable-rbd --disable-http --disable-gfapi --disable-libnfs
	--disable-pmem --disable-xnvme --disable-libzbc --disable-tcmalloc --disable-dfs"
build_fio() {
	local dsc key src=$BUILD/fio-src
	dsc=$(fetch_src fio)
	key=$( { basename "$dsc"; echo "$FIO_CONFIGURE"; } | sha256sum | cut -c1-16)
	stamp_ok fio "$key" && [ -x "$OUT/fio" ] && return 0
	need_pkgs dpkg-dev gcc make libaio-dev zlib1g-dev
	log "images: building fio from $(basename "$dsc") for the guests (under a minute)"
	rm -rf "$src"
	dpkg-source --no-copy -x "$dsc" "$src" >/dev/null 2>&1 || die "dpkg-source -x $dsc failed"
	# shellcheck disable=SC2086
	(cd "$src" && ./configure $FIO_CONFIGURE && nice -n 19 make -j2) \
		>"$BUILD/fio-build.log" 2>&1 ||
		die "building fio failed (log: $BUILD/fio-build.log)"
	grep -q '^#define CONFIG_LIBAIO' "$src/config-host.h" ||
		die "fio was built without its libaio engine (is libaio-dev installed?)"
	strip -o "$OUT/fio" "$src/fio"
	rm -rf "$src"
	stamp_set fio "$key"
}

build_guest_base() {
	local root=$1 g=$OUT/guest-root
	rm -rf "$g" && mkdir -p "$g"/{bin,dev,proc,sys,tmp,run,mnt,tb}
	cp "$root/usr/bin/busybox" "$g/bin/busybox"
	for a in $(chroot "$root" /usr/bin/busybox --list); do
		[ -e "$g/bin/$a" ] || ln -s busybox "$g/bin/$a"
	done
	rm -f "$g/bin/blkdiscard"
	install -D -m755 "$OUT/fio" "$g/usr/bin/fio"
	copy_with_libs "$root" "$g" /usr/sbin/blkdiscard /usr/sbin/blockdev
	chroot "$g" /usr/bin/fio --version >/dev/null ||
		die "the guest image cannot run fio"
	(cd "$g" && find . | cpio -o -H newc --quiet | gzip -1) >"$root/tb-guest-base.cpio.gz"
	rm -rf "$g"
}

trim_root() {
	local root=$1
	rm -rf "$root"/usr/share/{doc,man,info,locale,i18n,zoneinfo,lintian,bash-completion}
	rm -rf "$root"/usr/lib/python3* "$root"/usr/lib/python3/dist-packages
	rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*
}

build_dom0() {
	local key root
	key=$( { echo "$DOM0_PKGS"; cat "$0" "$OUT/fio" \
		/etc/apt/sources.list.d/debian.sources 2>/dev/null; } | sha256sum | cut -c1-16)
	stamp_ok dom0 "$key" && [ -f "$OUT/dom0-base.cpio.gz" ] && return 0
	root=$OUT/dom0-root
	rm -rf "$root"
	log "images: building dom0 root with mmdebstrap ($DOM0_PKGS)"
	local src=()
	[ -f /etc/apt/sources.list.d/debian.sources ] &&
		src=(/etc/apt/sources.list.d/debian.sources)
	[ -s /etc/apt/sources.list ] && src+=(/etc/apt/sources.list)
	mmdebstrap --quiet --variant=essential \
		--include="${DOM0_PKGS/busybox/busybox-static}" \
		bookworm "$root" "${src[@]}" >&2 || die "mmdebstrap failed"
	trim_root "$root"
	log "images: building the guest base image"
	build_guest_base "$root"
	log "images: packing dom0 root"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/dom0-base.cpio.gz"
	rm -rf "$root"
	stamp_set dom0 "$key"
	log "images: dom0 base $(du -h "$OUT/dom0-base.cpio.gz" | cut -f1)"
}

build_xen
build_deb61
build_fio
build_dom0
