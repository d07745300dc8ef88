#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the Xen selftests (tools/testing/selftests/xen) the way a user
# builds them in a kernel tree, "make -C tools/testing/selftests
# TARGETS=xen", in the testbed kernel's source tree, and install them
# into build/kselftest/ for dom0 and the guests.  Rebuilt when a source
# changes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SRC=$BUILD/kernel/src
OUT=$BUILD/kselftest
[ -f "$SRC/Makefile" ] || die "no kernel source tree in $SRC (make kernel)"
key=$(hash_files "$TOP"/tools/testing/selftests/xen/*)
if stamp_ok kselftest "$key" && [ -x "$OUT/xen/xen_blkfront_test" ]; then
	log "kselftest: up to date ($OUT)"
	exit 0
fi
log "kselftest: building TARGETS=xen in $SRC"
rsync -a --delete "$TOP/tools/testing/selftests/xen/" "$SRC/tools/testing/selftests/xen/"
rm -rf "$OUT" "$BUILD/kselftest-obj"
make -s -C "$SRC/tools/testing/selftests" TARGETS=xen O="$BUILD/kselftest-obj" \
	INSTALL_PATH="$OUT" install >&2 || die "building the Xen selftests failed"
stamp_set kselftest "$key"
log "kselftest: $(cd "$OUT/xen" && echo xen_*_test)"
