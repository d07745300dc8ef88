#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the testbed's patched hypervisor, only when its inputs changed:
#   build/testbed/xen-patched       Xen (multiboot ELF) from Debian's own
#                                   source package, Debian's patches and
#                                   this project's patches/xen/*.patch
#   build/testbed/xen-patched-syms  its symbols (for the profiler)
#
# Only the hypervisor is built (make -C xen, Debian's hypervisor config);
# dom0 keeps Debian's xl and libraries.  The source comes from Debian's
# archive through the testbed's private deb-src apt configuration
# (lib.sh, src_apt_opts), so the machine's own apt setup is never changed.  The source version is the one of the
# hypervisor package the testbed boots (XEN_PKG) when the archive has it,
# else the newest 4.17 source it has (security updates often publish no
# source on mirrors); the build says which.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$BUILD/testbed
SRC=$BUILD/xen-src
PATCHES=$TOP/patches/xen

# src_versions: the xen source versions the archive lists, newest first,
# the one matching the booted binary package ($1) first of all.
src_versions() {
	local want=$1
	# shellcheck disable=SC2046
	apt-cache $(src_apt_opts) showsrc xen 2>/dev/null | sed -n 's/^Version: //p' |
		sort -u | sort -r -V | awk -v w="$want" '$0 == w { print; next } { l = l $0 "\n" }
			END { printf "%s", l }' | grep '^4\.17\.'
}

# fetch_xen_src: the .dsc of Debian's xen source in the cache, downloading it
# (and its files) when none is there.
fetch_xen_src() {
	local want dsc v
	dsc=$(find "$CACHE" -maxdepth 1 -name 'xen_4.17.*.dsc' | sort -V | tail -n1)
	if [ -n "$dsc" ]; then
		echo "$dsc"
		return 0
	fi
	want=$(basename "$(fetch_deb "$XEN_PKG")" | sed 's/^[^_]*_\([^_]*\)_.*/\1/')
	log "xen: getting Debian's xen source (the testbed boots $XEN_PKG $want)"
	src_apt_update
	for v in $(src_versions "$want"); do
		# shellcheck disable=SC2046
		if (cd "$CACHE" && apt-get $(src_apt_opts) source --download-only -q "xen=$v" \
			>/dev/null 2>&1); then
			[ "$v" = "$want" ] ||
				log "xen: the archive has no source for $want; building $v"
			find "$CACHE" -maxdepth 1 -name "xen_${v}.dsc"
			return 0
		fi
	done
	die "no xen 4.17 source package could be downloaded"
}

build_patched_xen() {
	local dsc key ver t0 p patches=()
	need_pkgs dpkg-dev gcc make binutils bison flex python3 xz-utils patch
	dsc=$(fetch_xen_src)
	for p in "$PATCHES"/*.patch; do
		[ -f "$p" ] && patches+=("$p")
	done
	key=$( { basename "$dsc"; cat "$0" "${patches[@]}"; } | sha256sum | cut -c1-16)
	stamp_ok xen-patched "$key" && [ -f "$OUT/xen-patched" ] && return 0
	ver=$(sed -n 's/^Version: //p' "$dsc" | head -n1)
	log "xen: building the hypervisor $ver with ${#patches[@]} patch(es) from patches/xen (2 to 5 minutes on 2 cores)"
	unpack_patched "$dsc" "$SRC/src" "${patches[@]}"
	cp "$SRC/src/debian/xen-kconfig" "$SRC/src/xen/.config"
	t0=$(date +%s)
	(
		cd "$SRC/src"
		export XEN_TARGET_ARCH=x86_64 DEB_VERSION="$ver+xenpv${#patches[@]}"
		export DEB_MAINTAINER="xen-pv-drivers testbed <testbed@localhost>"
		make -s -C xen olddefconfig >&2
		nice -n 19 make -s -C xen -j2 >&2
	) || die "building the patched hypervisor failed (source: $SRC/src)"
	cp "$SRC/src/xen/xen" "$OUT/xen-patched"
	cp "$SRC/src/xen/xen-syms" "$OUT/xen-patched-syms"
	stamp_set xen-patched "$key"
	log "xen: patched hypervisor ready ($ver, ${#patches[@]} patch(es), built in $(($(date +%s) - t0))s)"
}

mkdir -p "$OUT" "$CACHE" "$SRC"
exec 9>"$BUILD/xen-build.lock"
flock 9
build_patched_xen
