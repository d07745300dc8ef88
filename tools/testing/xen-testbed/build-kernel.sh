#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the testbed's Linux 6.12 (dom0 and guest kernel) from Debian's
# linux-source-6.12, with the core steps of the project's patch series
# (patches/series: the xenbus watch lanes, not the block drivers, which
# the testbed loads as modules beside Linux's) applied and the config
# fragment kernel.config merged.  Rebuilt only when the source package,
# a core step or the fragment changes.
#
# Output: build/kernel/obj (a kernel build tree usable as KDIR),
#         build/kernel/bzImage, build/kernel/modules (installed modules).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs build-essential flex bison libelf-dev libssl-dev bc cpio dwarves \
	xz-utils kmod rsync

deb=$(fetch_deb "$KSRC_PKG")
frag=$TB_DIR/kernel.config
series=(python3 "$TOP/scripts/patches.py")
steps_key=$("${series[@]}" key --core) || die "cannot read patches/series"
src_key=$( { basename "$deb"; echo "$steps_key"; } | sha256sum | cut -c1-16)
cfg_key=$( { echo "$src_key"; cat "$frag"; } | sha256sum | cut -c1-16)
KB=$BUILD/kernel
M=(make -s -C "$KB/src" O="$KB/obj" ARCH=x86_64)

# One build at a time: a second testbed run (or bench boot) started
# meanwhile waits for it, then finds the kernel up to date.
mkdir -p "$BUILD"
exec 9>"$BUILD/kernel-build.lock"
if ! flock -n 9; then
	log "kernel: another build of it is running; waiting for it"
	flock 9
fi

if stamp_ok kernel "$cfg_key" && [ -f "$KB/bzImage" ]; then
	log "kernel: up to date ($KB/bzImage)"
	exit 0
fi
start=$(date +%s)

# Source: extracted fresh whenever the package or a patch changes.
if ! stamp_ok kernel-src "$src_key" || [ ! -f "$KB/src/Makefile" ]; then
	rm -rf "$KB"
	mkdir -p "$KB/src" "$KB/obj"
	log "kernel: extracting $(basename "$deb")"
	tmp=$(mktemp -d "$BUILD/.deb.XXXXXX")
	dpkg -x "$deb" "$tmp"
	tar -xJf "$tmp"/usr/src/linux-source-*.tar.xz -C "$KB/src" --strip-components=1
	rm -rf "$tmp"
	log "kernel: applying the core steps of patches/series"
	"${series[@]}" apply --core "$KB/src" ||
		die "patches/series does not apply to $KSRC_PKG"
	stamp_set kernel-src "$src_key"
fi

if ! stamp_ok kernel-config "$cfg_key"; then
	log "kernel: configuring (tinyconfig + xen + kernel.config)"
	"${M[@]}" tinyconfig >/dev/null
	(cd "$KB/obj" && "$KB/src/scripts/kconfig/merge_config.sh" -m -O "$KB/obj" .config \
		"$KB/src/kernel/configs/xen.config" "$KB/src/arch/x86/configs/xen.config" \
		"$frag" >/dev/null)
	"${M[@]}" olddefconfig >/dev/null
	# Every line of the fragment must have survived olddefconfig.
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while read -r l; do
		grep -qx "$l" "$KB/obj/.config" || echo "$l"; done)
	[ -z "$missing" ] || log "kernel: warning: not in final .config: $(echo "$missing" | tr '\n' ' ')"
	stamp_set kernel-config "$cfg_key"
fi

log "kernel: building bzImage and modules with -j$(nproc) (about 15 minutes on 2 cores)"
"${M[@]}" -j"$(nproc)" bzImage modules >&2 ||
	die "kernel build failed"
rm -rf "$KB/modules"
"${M[@]}" INSTALL_MOD_PATH="$KB/modules" INSTALL_MOD_STRIP=1 modules_install >/dev/null
cp "$KB/obj/arch/x86/boot/bzImage" "$KB/bzImage"
stamp_set kernel "$cfg_key"
log "kernel: built in $(( $(date +%s) - start )) s"
