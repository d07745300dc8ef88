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

# Debian's source packages come through a private apt configuration under
# build/apt-src: deb-src twins of the machine's deb entries (one-line and
# deb822 files), with lists and cache of their own, so the machine's own
# apt setup is never changed.  src_apt_opts prints its options.
SRC_APT=$BUILD/apt-src
src_apt_opts() {
	echo -o "Dir::Etc::SourceList=$SRC_APT/sources.list" \
		-o "Dir::Etc::SourceParts=$SRC_APT/sources.list.d" \
		-o "Dir::State::Lists=$SRC_APT/lists" \
		-o "Dir::Cache=$SRC_APT/cache"
}

# src_apt_update: write the deb-src entries and fetch their lists.
src_apt_update() {
	local f
	rm -rf "$SRC_APT" && mkdir -p "$SRC_APT"/{sources.list.d,lists/partial,cache}
	sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list \
		>"$SRC_APT/sources.list" 2>/dev/null || true
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		sed 's/^Types:.*/Types: deb-src/' "$f" >"$SRC_APT/sources.list.d/${f##*/}"
	done
	for f in /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^deb \(.*\)/deb-src \1/p' "$f" >"$SRC_APT/sources.list.d/${f##*/}"
	done
	# shellcheck disable=SC2046
	apt-get $(src_apt_opts) update -qq >&2 || die "apt-get update (deb-src) failed"
}

# fetch_src PKG: the path of the .dsc of Debian's source package PKG in
# the cache, downloading it (and its files) when none is there.
fetch_src() {
	local pkg=$1 dsc
	mkdir -p "$CACHE"
	dsc=$(find "$CACHE" -maxdepth 1 -name "${pkg}_*.dsc" | sort -V | tail -n1)
	if [ -z "$dsc" ]; then
		log "downloading Debian's $pkg source"
		[ -d "$SRC_APT/lists" ] || src_apt_update
		# shellcheck disable=SC2046
		(cd "$CACHE" && apt-get $(src_apt_opts) source --download-only -q "$pkg" \
			>/dev/null 2>&1) || die "apt-get source --download-only $pkg failed"
		dsc=$(find "$CACHE" -maxdepth 1 -name "${pkg}_*.dsc" | sort -V | tail -n1)
	fi
	[ -n "$dsc" ] || die "no source package $pkg in $CACHE"
	echo "$dsc"
}

# unpack_patched DSC DIR [PATCH...]: Debian's source package DSC unpacked
# into DIR with Debian's own patches (dpkg-source applies the quilt
# series), then this project's PATCHes on top.
unpack_patched() {
	local dsc=$1 dir=$2 p
	shift 2
	rm -rf "$dir"
	dpkg-source --no-copy -x "$dsc" "$dir" >"$dir.extract.log" 2>&1 ||
		{ cat "$dir.extract.log" >&2; die "dpkg-source -x $dsc failed"; }
	for p in "$@"; do
		patch -d "$dir" -p1 -s --batch --forward <"$p" ||
			die "${p#"$TOP"/} does not apply to ${dsc##*/}"
	done
}
