# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the testbed scripts.  Source, do not run.
# shellcheck shell=bash

TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$TB_DIR/../../.." && pwd)
BUILD=${BUILD:-$TOP/build}
CACHE=$BUILD/cache

# Versions of everything the testbed takes from Debian (used by the
# scripts that source this file).
# shellcheck disable=SC2034
XEN_PKG=xen-hypervisor-4.17-amd64
# shellcheck disable=SC2034
KSRC_PKG=linux-source-6.12
# shellcheck disable=SC2034
DOM0_PKGS=xen-utils-4.17,xenstore-utils,fio,busybox,kmod,iproute2,procps,util-linux
# The device model of the boots that need one (build-qemu-dm.sh).
# shellcheck disable=SC2034
QEMU_DM_PKG=qemu-system-xen

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt_update_once: refresh apt's package lists, once per build directory.
apt_update_once() {
	[ -f "$BUILD/.apt-updated" ] && return 0
	apt-get update -qq >&2 || die "apt-get update failed"
	mkdir -p "$BUILD" && touch "$BUILD/.apt-updated"
}

# need_pkgs PKG... installs the Debian packages that are missing.
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] ||
		die "missing Debian packages: ${missing[*]} (run as root or install them)"
	log "installing Debian packages: ${missing[*]}"
	apt_update_once
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed"
}

# fetch_deb PKG prints the path of PKG's .deb in the cache, downloading it
# (never installing it) when it is not there yet.
fetch_deb() {
	local pkg=$1 f
	mkdir -p "$CACHE"
	f=$(find "$CACHE" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n1)
	if [ -z "$f" ]; then
		log "downloading $pkg"
		# An old package list may name a version the archive dropped.
		(cd "$CACHE" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
			{ apt_update_once && (cd "$CACHE" && apt-get download -q "$pkg" >&2); } ||
			die "apt-get download $pkg failed"
		f=$(find "$CACHE" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n1)
	fi
	[ -n "$f" ] || die "no .deb for $pkg in $CACHE"
	echo "$f"
}

# stamp_ok NAME HASH: true when the output recorded under NAME was built
# from inputs hashing to HASH.
stamp_ok() { [ -f "$BUILD/stamps/$1" ] && [ "$(cat "$BUILD/stamps/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$BUILD/stamps" && echo "$2" >"$BUILD/stamps/$1"; }
hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }
