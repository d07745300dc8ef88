#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the testbed's patched emulator, only when its inputs changed:
#   build/testbed/qemu/bin/qemu-system-x86_64
#       QEMU from Debian's own qemu source package (the version of the
#       machine's qemu-system-x86 when the archive has it), Debian's
#       patches and this project's patches/qemu/*.patch, x86_64 system
#       emulation with TCG and plugins only
#   build/testbed/qemu/share/qemu, share/qemu-firmware
#       links to Debian's ROMs and firmware (qemu-system-data, seabios,
#       ipxe-qemu), where the binary looks for them (next to itself)
#
# Why: Debian's QEMU delivers an interrupt that a nested hypervisor
# injects (SVM EVENTINJ) twice when the instruction counter runs out
# before the nested guest's next exit (patches/qemu/0001-*.patch).
# Under -icount that kills an HVM guest in its real-mode boot every time
# and, now and then, a PVH guest; testbed.py boots this emulator for
# every --icount run (Documentation/testbed.rst, "The emulator").
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/testbed/qemu
SRC=$BUILD/qemu-src
PATCHES=$TOP/patches/qemu

# fetch_qemu_src: the .dsc of Debian's qemu source in the cache; the one of
# the installed qemu-system-x86 when the archive still has it.
fetch_qemu_src() {
	local want dsc
	want=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null || true)
	dsc=$(find "$CACHE" -maxdepth 1 -name "qemu_${want#*:}.dsc" | head -n1)
	if [ -z "$dsc" ] && [ -n "$want" ]; then
		log "qemu: getting Debian's qemu $want source"
		[ -d "$SRC_APT/lists" ] || src_apt_update
		# shellcheck disable=SC2046
		(cd "$CACHE" && apt-get $(src_apt_opts) source --download-only -q \
			"qemu=$want" >/dev/null 2>&1) ||
			log "qemu: the archive has no source for $want; taking its newest"
		dsc=$(find "$CACHE" -maxdepth 1 -name "qemu_${want#*:}.dsc" | head -n1)
	fi
	[ -n "$dsc" ] || dsc=$(fetch_src qemu)
	echo "$dsc"
}

# link_firmware: share/qemu and share/qemu-firmware beside bin/, as the
# binary (built for prefix /usr, relocatable) looks for them there.
link_firmware() {
	local d f
	mkdir -p "$OUT/share/qemu-firmware"
	ln -sfn /usr/share/qemu "$OUT/share/qemu"
	for d in /usr/share/seabios /usr/lib/ipxe/qemu; do
		for f in "$d"/*; do
			[ -e "$f" ] && ln -sfn "$f" "$OUT/share/qemu-firmware/"
		done
	done
}

build_qemu() {
	local dsc key ver t0 p patches=()
	need_pkgs dpkg-dev gcc make python3 meson ninja-build pkg-config \
		libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev xz-utils patch \
		qemu-system-data seabios ipxe-qemu
	dsc=$(fetch_qemu_src)
	for p in "$PATCHES"/*.patch; do
		[ -f "$p" ] && patches+=("$p")
	done
	key=$( { basename "$dsc"; cat "$0" "${patches[@]}"; } | sha256sum | cut -c1-16)
	link_firmware
	stamp_ok qemu "$key" && [ -x "$OUT/bin/qemu-system-x86_64" ] && return 0
	ver=$(sed -n 's/^Version: //p' "$dsc" | head -n1)
	log "qemu: building qemu-system-x86_64 $ver with ${#patches[@]} patch(es) from patches/qemu (about 5 minutes on 2 cores)"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	unpack_patched "$dsc" "$SRC/src" "${patches[@]}"
	t0=$(date +%s)
	mkdir -p "$SRC/b"
	(
		cd "$SRC/b"
		../src/configure --target-list=x86_64-softmmu --without-default-features \
			--enable-tcg --enable-plugins --disable-docs --disable-werror \
			--disable-debug-info --prefix=/usr >configure.log 2>&1 ||
			{ tail -n 20 configure.log >&2; exit 1; }
		nice -n 19 ninja -j2 qemu-system-x86_64 >build.log 2>&1 ||
			{ tail -n 30 build.log >&2; exit 1; }
	) || die "building QEMU failed (source: $SRC/src, logs in $SRC/b)"
	mkdir -p "$OUT/bin"
	# A boot may be running the old binary: replace it, do not overwrite it.
	cp "$SRC/b/qemu-system-x86_64" "$OUT/bin/.qemu.new"
	mv "$OUT/bin/.qemu.new" "$OUT/bin/qemu-system-x86_64"
	rm -rf "$SRC"
	stamp_set qemu "$key"
	log "qemu: patched emulator ready ($ver, ${#patches[@]} patch(es), built in $(($(date +%s) - t0))s)"
}

mkdir -p "$OUT" "$CACHE"
exec 9>"$BUILD/qemu-build.lock"
flock 9
build_qemu
