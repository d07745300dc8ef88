#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the project's modules for the testbed's two guest/dom0 kernels:
#   612    the testbed's Linux 6.12 build     -> build/modules-612/
#   deb61  Debian 12's 6.1 (its headers)      -> build/modules-deb61/
# Each build works on its own copy of the sources, so the two never mix
# objects or generated compat headers.  The testbed's test-only modules
# go into the same directories; they are not in the top-level Kbuild, so
# modules_install never installs them: xen-blkhostile, xen-usbhostile and
# xen-evtchnhostile (guest modules), xen-blkhostile-back (dom0) and
# xenpv-census (both) for 612, xen-mfnmap (dom0, for the benchmark's
# profile) for both, since either kernel can run dom0, and xen-watchstall
# (dom0 and guests) for 612, whose kernel has the watch lanes of
# patches/series.
set -euo pipefail
. "$(dirname "$0")/../tools/testing/xen-testbed/lib.sh"

deb61_kdir() {
	local rel
	bash "$TB_DIR/build-images.sh" >&2
	rel=$(cat "$BUILD/testbed/deb61/release")
	need_pkgs "linux-headers-$rel"
	echo "/usr/src/linux-headers-$rel"
}

build_for() {
	local kind=$1 kdir=$2 src=$BUILD/mod-$1
	mkdir -p "$src" "$BUILD/modules-$kind"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude=generated "$TOP"/{Kbuild,Makefile,drivers,include,scripts} "$src/"
	log "modules: building for $kind against $kdir"
	# The testbed's own kernel has fault injection: build the hooks in.
	make -s -C "$src" KDIR="$kdir" BUILD="$BUILD" modules \
		XENPV_FAULT_INJECTION="$([ "$kind" = 612 ] && echo y || echo n)" >&2 ||
		die "module build for $kind failed"
	rm -f "$BUILD/modules-$kind"/*.ko
	find "$src" -name '*.ko' -exec cp {} "$BUILD/modules-$kind/" \;
	log "modules: $kind: $(cd "$BUILD/modules-$kind" && echo *.ko | sed 's/\*\.ko/none yet/')"
}

# build_test_module KIND KDIR NAME: the test-only module tools/testing/NAME
# -> build/modules-KIND/NAME.ko (after build_for KIND, which empties it).
# Its copy keeps the tree's layout, with include/ for <xenpv/*.h> and
# the xenpv core's sources, which it compiles into itself as the drivers
# do, and the test modules' common Makefile.
build_test_module() {
	local kind=$1 kdir=$2 name=$3 top=$BUILD/mod-$1-test
	local src=$top/tools/testing/$3
	mkdir -p "$src" "$BUILD/modules-$kind"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude=generated "$TOP/include" "$top/"
	# The compat answers of this kernel, from build_for KIND.
	rsync -a "$BUILD/mod-$kind/include/compat/generated" "$top/include/compat/"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		"$TOP/tools/testing/$name/" "$src/"
	install -D -m644 "$TOP/tools/testing/common/kmod.mk" "$top/tools/testing/common/kmod.mk"
	# xen-kunit compiles the userspace tests' files and the drivers'
	# protocol cores they include, the xenbus watch lanes and the event
	# channel vectors.
	if [ "$name" = xen-kunit ]; then
		local d
		mkdir -p "$top/drivers/block" "$top/drivers/xen/xenbus" "$top/drivers/xen/events"
		for d in common xenpv blkfront blkback xenwatch; do
			rsync -a --delete --include='*/' --include='*.c' --include='*.h' \
				--exclude='*' "$TOP/tools/testing/$d/" "$top/tools/testing/$d/"
		done
		rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
			"$TOP/drivers/block/" "$top/drivers/block/"
		for d in xenbus events; do
			rsync -a --delete --include='*.c' --include='*.h' --exclude='*' \
				"$TOP/drivers/xen/$d/" "$top/drivers/xen/$d/"
		done
		# Linux's own header beside events_vector.c, as in its tree (a
		# build directory's "source" is its tree).
		local ksrc=$kdir
		[ -e "$kdir/source" ] && ksrc=$kdir/source
		cp "$ksrc/drivers/xen/events/events_internal.h" "$top/drivers/xen/events/" ||
			die "no drivers/xen/events/events_internal.h in $ksrc"
	fi
	log "modules: building test module $name for $kind"
	make -s -C "$src" KDIR="$kdir" modules >&2 ||
		die "test module $name build for $kind failed"
	cp "$src"/*.ko "$BUILD/modules-$kind/"
}

# One build at a time: two would share build/mod-*.
mkdir -p "$BUILD"
exec 9>"$BUILD/modules.lock"
flock 9
build_for 612 "$BUILD/kernel/obj"
build_test_module 612 "$BUILD/kernel/obj" xen-blkhostile
build_test_module 612 "$BUILD/kernel/obj" xen-usbhostile
build_test_module 612 "$BUILD/kernel/obj" xen-blkhostile-back
build_test_module 612 "$BUILD/kernel/obj" xenpv-census
build_test_module 612 "$BUILD/kernel/obj" xen-evtchnhostile
build_test_module 612 "$BUILD/kernel/obj" xen-mfnmap
build_test_module 612 "$BUILD/kernel/obj" xen-watchstall
build_test_module 612 "$BUILD/kernel/obj" xen-kunit
kdir=$(deb61_kdir)
build_for deb61 "$kdir"
build_test_module deb61 "$kdir" xen-mfnmap
