# SPDX-License-Identifier: GPL-2.0
# dom0 side of the testbed: toolstack start-up, guests, markers, results.
# shellcheck shell=bash
#
# Markers on the console (the host runner reads them from the serial log):
#   @@TB BEGIN name | @@TB PASS name | @@TB FAIL name: reason | @@TB MSG text
#   @@FILE name, base64 of the gzipped file, @@END name sha256
# Guests print the same @@FILE blocks and "@@G word ..." markers on their
# console, which xenconsoled logs and dom0 forwards as "[g:NAME] line".

XLOG=/var/log/xen/console
: "${TB_SCENARIO_TIMEOUT:=300}"

tb_msg() { echo "@@TB MSG $*"; }

# fail REASON: end the running scenario as failed, giving the reason.
fail() {
	echo "$*" >/tmp/tb-reason
	echo "@@TB REASON $*"
	exit 1
}

# tb_file NAME PATH: send a file to the host.
tb_file() {
	printf '\n@@FILE %s\n' "$1"
	gzip -c "$2" | base64 -w 76
	echo "@@END $1 $(sha256sum <"$2" | cut -c1-64)"
}

tb_poweroff() {
	sync
	echo "@@TB POWEROFF"
	busybox poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
	sleep 30
}

# Create the testbed's disks in dom0 with null_blk's configfs interface:
#   nullb0  speed: no data kept, for the benchmark; completes in a softirq
#           (null_blk's default irqmode)
#   nullb4  the same, completing inline in the submitter (irqmode 0): the
#           benchmark's "inline" rows, whose distance to native the
#           softirq does not hide
#   nullb1..nullb3  memory backed, volatile write cache, discard
tb_make_disks() {
	local d cfg=/sys/kernel/config/nullb
	modprobe null_blk nr_devices=0 || return 1
	# Debian's kernel has configfs as a module, which null_blk loads.
	grep -q " /sys/kernel/config " /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config || return 1
	mkdir "$cfg/nullb0" && (cd "$cfg/nullb0" && echo 4096 >size &&
		echo 2 >submit_queues && echo 1 >power) || return 1
	mkdir "$cfg/nullb4" && (cd "$cfg/nullb4" && echo 4096 >size &&
		echo 2 >submit_queues && echo 0 >irqmode && echo 1 >power) || return 1
	for d in 1 2 3; do
		mkdir "$cfg/nullb$d" && (cd "$cfg/nullb$d" &&
			echo "${TB_DATA_DISK_MB:-512}" >size && echo 1 >memory_backed &&
			echo 1 >discard && echo 16 >cache_size && echo 512 >blocksize &&
			echo 1 >power) || return 1
	done
	modprobe brd rd_nr=1 rd_size=262144 2>/dev/null
	return 0
}

# tb_loop FILE SIZE: a new FILE of SIZE (truncate's units) on a free loop
# device, named in $TB_LOOP: a disk a scenario can grow (truncate -s, then
# busybox losetup -c).
tb_loop() {
	modprobe loop 2>/dev/null
	rm -f "$1"
	truncate -s "$2" "$1" || fail "truncate of $1 failed"
	TB_LOOP=$(busybox losetup -f) || fail "no free loop device"
	busybox losetup "$TB_LOOP" "$1" || fail "losetup $TB_LOOP $1 failed"
}

# tb_backend: which block backend tb_load_backend loaded last.
tb_backend() { cat /run/tb-backend 2>/dev/null; }

# tb_load_backend stock|ours: load the block backend dom0 serves disks with;
# ours also with the module parameters of TB_BACK_PARAMS ("name=value ...").
tb_load_backend() {
	local want=$1
	rmmod xen-blkback 2>/dev/null
	case "$want" in
	stock) modprobe xen-blkback max_queues="${TB_BACK_MAX_QUEUES:-4}" ;;
	ours)
		# The parameters are split on purpose.
		# shellcheck disable=SC2086
		insmod /tb/mod/ours/xen-blkback.ko \
			max_queues="${TB_BACK_MAX_QUEUES:-4}" ${TB_BACK_PARAMS:-} ;;
	*) return 1 ;;
	esac || return 1
	echo "$want" >/run/tb-backend
	tb_msg "backend: $want xen-blkback"
}

# tb_load_usbback: load our USB backend (the usbback USB driver and the
# vusb xenbus backend) unless it is loaded; marks dom0's log for
# tb_usb_dmesg_clean.
tb_load_usbback() {
	echo "tb: usb scenario starts" >/dev/kmsg
	[ -d /sys/bus/usb/drivers/usbback ] && return 0
	insmod /tb/mod/ours/xen-usbback.ko || return 1
	tb_msg "backend: our xen-usbback"
}

# tb_usb_find PRODUCT: "BUS ADDR BUSID" of the USB device of dom0's whose
# product string is PRODUCT.
tb_usb_find() {
	local d
	for d in /sys/bus/usb/devices/*; do
		[ "$(cat "$d/product" 2>/dev/null)" = "$1" ] || continue
		echo "$(cat "$d/busnum") $(cat "$d/devnum") ${d##*/}"
		return 0
	done
	return 1
}

# tb_usb_disk: "BUS ADDR BUSID" of the USB disk QEMU gives dom0.
tb_usb_disk() { tb_usb_find "QEMU USB HARDDRIVE"; }

# tb_usb_log: what the USB backend and libxl did (an EXIT trap of the
# usb_* scenarios).
tb_usb_log() {
	echo "--- dom0 log (usb):"
	dmesg | sed -n '/tb: usb scenario starts/,$p' | grep -i -E "usb|vusb|hcd" | tail -n 40
	xenstore-ls -f /local/domain/0/backend/vusb 2>/dev/null | head -n 30
}

# tb_usb_find_disk: set USB_BUS, USB_ADDR and USB_BUSID to the USB disk's
# (fails without one) and say which it is.
tb_usb_find_disk() {
	read -r USB_BUS USB_ADDR USB_BUSID <<<"$(tb_usb_disk)"
	[ -n "$USB_BUSID" ] || fail "no QEMU USB disk in dom0 (testbed.py --usb)"
	tb_msg "USB disk $USB_BUSID (bus $USB_BUS, device $USB_ADDR), $(cat "/sys/bus/usb/devices/$USB_BUSID/speed") Mb/s"
}

# tb_usb_guest NAME SCRIPT ARGS [OPTION...]: a PV guest running
# guest/SCRIPT.sh ARGS (guest_create's OPTIONs too, vcpus=1 for example),
# with a type=pv controller of 4 ports whose port 1 has the USB disk
# (USB_BUS, USB_ADDR and USB_BUSID say which).
tb_usb_guest() {
	trap tb_usb_log EXIT
	tb_load_usbback || fail "cannot load xen-usbback"
	tb_usb_find_disk
	guest_create "$1" disk=none front=none script="$2" args="$3" "${@:4}"
	xl usbctrl-attach "$1" type=pv version=2 ports=4 ||
		fail "xl usbctrl-attach type=pv failed"
	tb_usb_attach "$1"
}

# tb_usb_attach NAME: xl usbdev-attach of the USB disk to port 1.
tb_usb_attach() {
	xl usbdev-attach "$1" hostbus="$USB_BUS" hostaddr="$USB_ADDR" controller=0 port=1 ||
		fail "xl usbdev-attach of $USB_BUSID failed"
	xl usb-list "$1"
}

# tb_qusb_log: what QEMU's USB backend did (an EXIT trap of usb_qusb).
tb_qusb_log() {
	local f
	echo "--- dom0 log (usb):"
	dmesg | sed -n '/tb: usb scenario starts/,$p' | grep -i -E "usb|hcd" | tail -n 20
	xenstore-ls -f /local/domain/0/backend/qusb 2>/dev/null | head -n 30
	for f in /var/log/xen/qemu-dm-*.log; do
		[ -s "$f" ] && { echo "--- $f:"; tail -n 20 "$f"; }
	done
	return 0
}

# tb_qusb_guest NAME SCRIPT ARGS [OPTION...]: a PV guest running
# guest/SCRIPT.sh ARGS (guest_create's OPTIONs too), its USB served by
# QEMU's userspace backend (qusb, Debian's qemu-system-xen, which libxl
# starts as the guest's device model): a controller in the guest's
# config (libxl starts a PV guest's QEMU only at creation, so "xl
# usbctrl-attach type=qusb" to a guest without one fails: "device model
# required but not running"), a second one added with xl usbctrl-attach
# type=qusb once QEMU runs; the USB disk on port 1 of the second
# (USB_BUS, USB_ADDR and USB_BUSID say which).  Sets QUSB_DOMID.
tb_qusb_guest() {
	trap tb_qusb_log EXIT
	echo "tb: usb scenario starts" >/dev/kmsg
	[ -x /usr/libexec/xen-qemu-system-i386 ] ||
		fail "no qemu-system-xen in dom0 (testbed.py --qemu-dm)"
	tb_usb_find_disk
	guest_create "$1" disk=none front=none script="$2" args="$3" "${@:4}" \
		cfg="usbctrl = [ 'type=qusb,version=2,ports=4' ]"
	QUSB_DOMID=$(xl domid "$1") || fail "no domain id for $1"
	[ "$(xenstore-read "/local/domain/0/device-model/$QUSB_DOMID/state" 2>/dev/null)" = running ] ||
		fail "no device model runs for guest $1 (its qusb controller needs one)"
	tb_msg "device model: $(pgrep -a -f "xen-domid $QUSB_DOMID " | cut -c1-160)"
	xl usbctrl-attach "$1" type=qusb version=2 ports=4 ||
		fail "xl usbctrl-attach type=qusb failed"
	xl usbdev-attach "$1" hostbus="$USB_BUS" hostaddr="$USB_ADDR" controller=1 port=1 ||
		fail "xl usbdev-attach of $USB_BUSID to the qusb controller failed"
	xl usb-list "$1"
}

# tb_qusb_dm_gone: wait (10 s at most) for the device model of the guest
# tb_qusb_guest made (QUSB_DOMID) to end with it; fails if it runs on.
tb_qusb_dm_gone() {
	local i
	for ((i = 0; i < 20; i++)); do
		pgrep -f "xen-domid $QUSB_DOMID " >/dev/null || return 0
		sleep 0.5
	done
	pgrep -a -f "xen-domid $QUSB_DOMID "
	fail "the guest's device model still runs after the guest is gone"
}

# tb_usb_stat DOMID COLUMN: a column (state, inflight or a counter) of
# our backend's debugfs stats of DOMID's controller 0.
tb_usb_stat() {
	awk -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
		NR == 2 && k { print $k }' "/sys/kernel/debug/xen-usbback/vusb-$1-0/stats"
}

# tb_usb_census_wait ITEM... : wait (15 s at most) until each ITEM of our
# backend's census (ctrls, rings, urbs, buf_pages) is 0; fails naming
# what is left.
tb_usb_census_wait() {
	local census=/sys/kernel/debug/xen-usbback/census i it left
	for ((i = 0; i < 30; i++)); do
		left=
		for it in "$@"; do
			awk -v k="$it" '$1 == k && $2 != 0 { exit 1 }' "$census" || left+="$it "
		done
		[ -z "$left" ] && return 0
		sleep 0.5
	done
	fail "xen-usbback still holds ${left}15s on: $(tr '\n' ' ' <"$census")"
}

# tb_usb_dmesg_clean: no warning, bug or hung task in dom0's log since
# tb_load_usbback; prints them if there are.
tb_usb_dmesg_clean() {
	! dmesg | sed -n '/tb: usb scenario starts/,$p' |
		grep -E "WARNING:|BUG:|Oops|blocked for more than|refcount_t:"
}

# tb_backend_until_exit GUEST QUEUES [PARAM...]: reload the backend in use
# offering QUEUES queues, ours also with PARAMs, for the rest of this
# scenario; when its shell exits, GUEST is destroyed and the backend is
# loaded again as usual.
tb_backend_until_exit() {
	local guest=$1 queues=$2
	TB_RESTORE_BACKEND=$(tb_backend)
	# Expanded now: the trap must destroy this guest.
	# shellcheck disable=SC2064
	trap "xl destroy $guest 2>/dev/null; tb_load_backend $TB_RESTORE_BACKEND >/dev/null" EXIT
	TB_BACK_MAX_QUEUES=$queues TB_BACK_PARAMS="${TB_BACK_PARAMS:-} ${*:3}" \
		tb_load_backend "$TB_RESTORE_BACKEND"
}

# tb_switch_backend stock|ours: unload the idle backend and load the other.
tb_switch_backend() {
	if lsmod | grep -q '^xen_blkback ' && ! rmmod xen-blkback; then
		tb_msg "the $(tb_backend) xen-blkback does not unload while idle"
		return 1
	fi
	tb_load_backend "$1"
}

# tb_start_toolstack: bring up xenstored, xenconsoled, the disks and the
# block backend; on failure, say what failed on stdout and return 1.
tb_start_toolstack() {
	local m
	for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs; do
		modprobe "$m" || tb_msg "modprobe $m failed"
	done
	mount -t xenfs xenfs /proc/xen || { echo "mounting xenfs failed"; return 1; }
	xenstored --pid-file=/run/xenstored.pid || { echo "xenstored failed"; return 1; }
	xen-init-dom0 >/tmp/xen-init-dom0.log 2>&1 ||
		{ echo "xen-init-dom0 failed: $(tail -n1 /tmp/xen-init-dom0.log)"; return 1; }
	xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir="$XLOG" ||
		{ echo "xenconsoled failed"; return 1; }
	tb_make_disks || { echo "creating the null_blk disks failed"; return 1; }
	tb_load_backend "${TB_BACKEND:-stock}" ||
		{ echo "loading the ${TB_BACKEND:-stock} block backend failed"; return 1; }
	# Guest boot images: base (busybox, fio) + a per-kernel overlay.
	cat /tb-guest-base.cpio.gz /tb/img/guest-612.cpio.gz >/tmp/guest-612.cpio.gz
	cat /tb-guest-base.cpio.gz /tb/img/guest-deb61.cpio.gz >/tmp/guest-deb61.cpio.gz
	tb_msg "toolstack up: $(xl info | awk '/^xen_version/ {print $3}'), free $(xl info | awk '/^free_memory/ {print $3}') MiB"
}

# guest_config NAME key=value...: write NAME's xl config, /tmp/NAME.cfg.
#   type=pv|pvh|hvm vcpus=N mem=MiB kernel=612|deb61 front=stock|ours|none
#   script=GUEST_SCRIPT args="a b" disk="phy:/dev/nullb1,xvda,w" (';' between disks,
#   "none" for no disk)
#   extra="more kernel args"
#   cfg="an xl config line" (may be given more than once)
# TB_GUEST_EXTRA (testbed.py --env) goes before "extra" on the command line
# of every guest that runs the testbed's 6.12 kernel: make check's shared
# boot turns the guests' event channel vectors off there
# (xen.evtchn_vectors=0), so it tests the patched hypervisor with guests
# that do not use them.
# An HVM guest boots the same kernel and initramfs directly (QEMU's
# direct kernel boot, Debian's qemu-system-xen as device model: testbed.py
# adds it to dom0 for scenarios whose first argument is "hvm"), with no
# emulated display and its console on the PV console (hvc0) as the others.
guest_config() {
	local name=$1 kv type=pv vcpus=2 mem=384 kernel=612 front=stock script=idle
	local args="" disk="phy:/dev/nullb1,xvda,w" extra="" fparams="" kimg disks cfg=""
	shift
	for kv in "$@"; do
		case "$kv" in
		type=*) type=${kv#*=} ;; vcpus=*) vcpus=${kv#*=} ;;
		mem=*) mem=${kv#*=} ;; kernel=*) kernel=${kv#*=} ;;
		front=*) front=${kv#*=} ;; script=*) script=${kv#*=} ;;
		args=*) args=${kv#*=} ;; disk=*) disk=${kv#*=} ;;
		extra=*) extra=${kv#*=} ;;
		fparams=*) fparams=${kv#*=} ;;
		cfg=*) cfg+="${kv#*=}"$'\n' ;;
		*) fail "guest_create: unknown option $kv" ;;
		esac
	done
	[ "$kernel" = 612 ] && extra="${TB_GUEST_EXTRA:+$TB_GUEST_EXTRA }$extra"
	if [ "$type" = hvm ]; then
		[ -x /usr/libexec/xen-qemu-system-i386 ] ||
			fail "an HVM guest needs Debian's qemu-system-xen in dom0 (testbed.py --qemu-dm)"
		cfg+=$'vga = "none"\nvnc = 0\nsdl = 0\nserial = "none"\n'
	fi
	case "$kernel" in
	612) kimg=/tb/img/bzImage ;;
	deb61) kimg=/tb/img/deb61-vmlinuz ;;
	*) fail "guest_create: unknown kernel $kernel" ;;
	esac
	disks=$(echo "$disk" | tr ';' '\n' | sed "s/.*/'&'/" | paste -sd, -)
	[ "$disk" = none ] && disks=""
	cat >"/tmp/$name.cfg" <<EOC
name = "$name"
type = "$type"
vcpus = $vcpus
memory = $mem
kernel = "$kimg"
ramdisk = "/tmp/guest-$kernel.cpio.gz"
cmdline = "console=hvc0 rdinit=/init loglevel=${TB_GUEST_LOGLEVEL:-4} tb.script=$script tb.front=$front tb.fparams=${fparams// /,} tb.args=${args// /,} $extra"
disk = [ $disks ]
vif = [ ]
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
tsc_mode = "${TB_TSC_MODE:-native}"
$cfg
EOC
}

# guest_create NAME key=value...: guest_config, then create the domain
# and wait for its init (guest_boot).
guest_create() {
	guest_config "$@"
	guest_boot "$1" || guest_boot "$1" ||
		fail "guest $1 died twice while booting, before running anything"
}

# guest_boot NAME: create NAME from /tmp/NAME.cfg and wait until its init
# runs.  A guest that dies before that failed to boot, not the test: PVH
# guests under QEMU's emulation triple-fault in early boot now and then
# (seen in get_cycles() with an emulated TSC, see Documentation/testbed.rst
# "Guest TSC"); the caller may try once more.
guest_boot() {
	local name=$1 i t=120 hvm="" start=$SECONDS
	# An HVM guest runs hvmloader and SeaBIOS first, and QEMU loads its
	# kernel and initramfs through fw_cfg, one port read at a time.
	grep -q '^type = "hvm"' "/tmp/$name.cfg" && hvm=1 t=${TB_HVM_BOOT_WAIT:-240}
	rm -f "$XLOG/guest-$name.log" "/tmp/$name.dumped"
	xl create "/tmp/$name.cfg" >"/tmp/$name.xl.log" 2>&1 || {
		cat "/tmp/$name.xl.log"
		tb_dm_log "$name"
		fail "xl create $name failed: $(tail -n1 "/tmp/$name.xl.log")"
	}
	for ((i = 0; i < t * 2; i++)); do
		grep -q '^@@G BOOTED' "$XLOG/guest-$name.log" 2>/dev/null && break
		guest_alive_now "$i" "$name" || break
		sleep 0.5
	done
	if grep -q '^@@G BOOTED' "$XLOG/guest-$name.log" 2>/dev/null; then
		[ -n "$hvm" ] && tb_msg "HVM guest $name reached its init $((SECONDS - start))s after xl create"
		return 0
	fi
	guest_alive "$name" && { guest_dump "$name"; fail "guest $name did not reach its init within ${t}s"; }
	guest_dump "$name"
	tb_msg "guest $name died while booting, before running anything"
	return 1
}

guest_alive() { xl domid "$1" >/dev/null 2>&1; }

# guest_alive_now I NAME: guest_alive NAME every tenth turn I of a loop
# that polls NAME's console twice a second, else true.  An xl command
# costs dom0 about 0.3 s of CPU under the testbed's emulation (2026-12-05,
# run val-t): asked twice a second it took a third of a dom0 vCPU from
# the guest it watched, and a guest's boot took 9 to 12 s instead of
# 6.5.  A guest that dies is still seen, within 5 s.
guest_alive_now() {
	(($1 % 10 != 9)) || guest_alive "$2"
}

# guest_say NAME WORD: WORD on a line of NAME's console input (through
# xenconsoled's pty), for its script's hear (glib.sh): a signal that
# changes nothing else in the guest, unlike detaching a token disk.
guest_say() {
	local tty
	tty=$(xenstore-read "/local/domain/$(xl domid "$1")/console/tty") ||
		fail "guest_say: no console tty for guest $1"
	echo "$2" >"$tty" || fail "guest_say: writing to $1's console failed"
}

# guest_wait NAME WORD [SECONDS]: wait for "@@G WORD" on NAME's console.
guest_wait() {
	local name=$1 word=$2 t=${3:-120} i
	for ((i = 0; i < t * 2; i++)); do
		grep -q "^@@G $word" "$XLOG/guest-$name.log" 2>/dev/null && return 0
		if ! guest_alive_now "$i" "$name" &&
			! grep -q "^@@G $word" "$XLOG/guest-$name.log" 2>/dev/null; then
			guest_dump "$name"
			fail "guest $name ended before it printed '$word'"
		fi
		sleep 0.5
	done
	guest_dump "$name"
	fail "guest $name did not print '$word' within ${t}s"
}

# guest_wait_writing NAME: wait until NAME's fio write phase runs (the
# FIO-START and WRITE-DONE marks of guest/save_restore.sh and
# evtchnvec.sh), for an xl save in its middle.
guest_wait_writing() {
	guest_wait "$1" FIO-START 180
	sleep 2
	grep -q '^@@G WRITE-DONE' "$XLOG/guest-$1.log" &&
		fail "the guest's write phase ended before xl save began; make it longer"
	return 0
}

# tb_dm_log NAME: the end of NAME's device model (QEMU) log, if it has one.
tb_dm_log() {
	local f=/var/log/xen/qemu-dm-$1.log
	[ -s "$f" ] || return 0
	echo "--- $f:"
	tail -n 30 "$f"
}

# guest_dump NAME: copy NAME's console log (and its device model's log)
# into dom0's console, once.
guest_dump() {
	[ -f "$XLOG/guest-$1.log" ] || return 0
	[ -f "/tmp/$1.dumped" ] && return 0
	tr -d '\r' <"$XLOG/guest-$1.log" | sed "s/^/[g:$1] /"
	tb_dm_log "$1"
	touch "/tmp/$1.dumped"
}

# guest_finish NAME [SECONDS]: wait for the guest script's result and for
# the domain to go away; fail the scenario with the guest's reason.
guest_finish() {
	local name=$1 t=${2:-300} rc reason i
	rm -f "/tmp/$name.dumped"
	guest_wait "$name" DONE "$t"
	for ((i = 0; i < 60; i++)); do guest_alive "$name" || break; sleep 0.5; done
	guest_alive "$name" && xl destroy "$name"
	guest_dump "$name"
	rc=$(sed -n 's/^@@G DONE rc=\([0-9]*\).*/\1/p' "$XLOG/guest-$name.log" | tail -n1)
	reason=$(sed -n 's/^@@G FAIL //p' "$XLOG/guest-$name.log" | tr -d '\r' | head -n1)
	[ "$rc" = 0 ] || fail "guest $name: ${reason:-script exited with rc=$rc}"
}

# victim_create NAME TYPE VCPUS [SIZE]: guest NAME (blkfront $TB_FRONT)
# runs fio verify rounds of SIZE (64M) over nullb1 until victim_stop;
# returns once its writes reach the backend.
victim_create() {
	local i
	guest_create "$1" type="$2" vcpus="$3" front="${TB_FRONT:-stock}" script=verify \
		args="${4:-64M} until" disk="phy:/dev/nullb1,xvda,w"
	for ((i = 0; i < 240; i++)); do
		[ "$(vbd_stat "$1" 51712 wr_req 2>/dev/null || echo 0)" -gt 0 ] && return 0
		sleep 0.5
	done
	fail "victim $1 wrote nothing within 120s"
}

# victim_stop NAME WHAT: NAME, still verifying all along WHAT (which has
# just ended), stops after its round; each round must have verified.
victim_stop() {
	if grep -q '^@@G \(FAIL\|DONE\)' "$XLOG/guest-$1.log" 2>/dev/null ||
		! guest_alive "$1"; then
		guest_dump "$1"
		fail "victim $1 stopped verifying during $2: $(sed -n 's/^@@G FAIL //p' "$XLOG/guest-$1.log" | head -n1)"
	fi
	guest_say "$1" STOP
	guest_finish "$1" 300
	tb_msg "victim $1: $(sed -n 's/^@@G VERIFIED //p' "$XLOG/guest-$1.log" | tr -d '\r') of fio verify during $2"
}

# vbd_stat NAME DEVID FIELD: a backend statistics counter of NAME's disk.
vbd_stat() {
	local domid
	domid=$(xl domid "$1") || return 1
	cat "/sys/bus/xen-backend/devices/vbd-$domid-$2/statistics/$3"
}

# vbd_gone DOMID [DEVID [SECONDS]]: wait (default 30 s) until the backend
# device of DOMID's disk DEVID (51712, xvda) is gone; 1 if it is not.
vbd_gone() {
	local i dev=/sys/bus/xen-backend/devices/vbd-$1-${2:-51712}
	for ((i = 0; i < ${3:-30} * 2; i++)); do
		[ -e "$dev" ] || return 0
		sleep 0.5
	done
	return 1
}

# blkback_threads DOMID: names of the block backend's threads serving
# DOMID: Linux's are "blkback.DOMID.xvdX-N", ours "DOMID.vbdDEVID-N".
blkback_threads() {
	# pgrep refuses patterns longer than a task name (15 characters).
	# shellcheck disable=SC2009
	ps -eo comm= | grep -E "^(blkback\.)?$1\.(xvd|vbd)"
}

# stuck_tasks: dom0 tasks in uninterruptible sleep in two looks 2s apart.
stuck_tasks() {
	local a b
	a=$(ps -eo pid=,stat=,comm= | awk '$2 ~ /^D/ { print $1 ":" $3 }' | sort)
	sleep 2
	b=$(ps -eo pid=,stat=,comm= | awk '$2 ~ /^D/ { print $1 ":" $3 }' | sort)
	# Not comm with <(...): this dom0 has no /dev/fd.  Each look lists
	# a task once, so a line seen twice was in both.
	printf '%s\n' "$a" "$b" | sort | uniq -d | grep . | tr '\n' ' '
}

# tb_need_patched_xen: fail unless the boot runs the patched hypervisor
# (patches/xen: EVTCHNOP_bind_vector).
tb_need_patched_xen() {
	[ "${TB_XEN:-}" = patched ] ||
		fail "needs the patched hypervisor (testbed.py --xen patched), not ${TB_XEN:-debian}"
}

# tb_mark WHAT: a line in dom0's kernel log that tb_logs_clean reads from.
tb_mark() {
	TB_MARK="tb: $* begins ($(date +%s))"
	echo "$TB_MARK" >/dev/kmsg
}

# tb_logs_clean [XEN_PATTERN]: fail on an assertion, panic or warning in
# Xen's log (or XEN_PATTERN), or a warning, oops or hung task in dom0's
# kernel log since tb_mark.
tb_logs_clean() {
	local xwarn warn
	xwarn=$(xl dmesg | grep -m1 -E "${1:-Assertion|FATAL|Panic|Xen BUG|Xen WARN}")
	[ -z "$xwarn" ] || fail "Xen: $xwarn"
	warn=$(dmesg | sed -n "/${TB_MARK:?tb_mark first}/,\$p" |
		grep -m1 -E 'WARNING:|BUG:|Oops|rcu: INFO|blocked for more than|Call Trace')
	[ -z "$warn" ] || fail "dom0 kernel: $warn"
}

# tb_cleanup: destroy every guest, and wait (up to 10 s) until xl lists
# none, so the next scenario can reuse their names.
tb_cleanup() {
	local d i
	for ((i = 0; i < 20; i++)); do
		d=$(xl list | awk 'NR > 2 { print $1 }')
		[ -z "$d" ] && return 0
		for d in $d; do
			xl destroy "$d" 2>/dev/null
		done
		sleep 0.5
	done
	tb_msg "guests left after cleanup: $(xl list | awk 'NR > 2 { print $1 }' | tr '\n' ' ')"
}

# tb_undo: what a scenario killed by its timeout leaves behind, its EXIT
# trap never run: faults armed in our backend (faults), the hostile
# backend module loaded before the backend (hostile_back).  Left there,
# they fail the scenarios after it.
tb_undo() {
	local f
	for f in /sys/kernel/debug/xen-blkback/fault/*/probability; do
		[ -e "$f" ] && echo 0 >"$f"
	done
	if [ -d /sys/module/xen_blkhostile_back ] && ! rmmod xen_blkhostile_back; then
		tb_msg "xen-blkhostile-back does not unload"
	fi
	return 0
}

# tb_run_one FRONT FILE ARGS: run one scenario in its own shell, under
# its timeout; the exit status is the scenario's.
tb_run_one() {
	local t=$TB_SCENARIO_TIMEOUT n
	# A scenario's file may ask for N timeouts ("# tb: timeout xN", for
	# long lists of steps).  An HVM guest's boot goes through firmware
	# and the device model (Documentation/testbed.rst, "Device model"):
	# twice the time for a scenario of HVM guests.  testbed.py's hard
	# limit counts the same.
	n=$(sed -n 's/^# tb: timeout x\([0-9]*\)$/\1/p' "/tb/scenarios/$2.sh" 2>/dev/null)
	[ -n "$n" ] && t=$((t * n))
	[ "${3%%,*}" = hvm ] && t=$((t * 2))
	rm -f /tmp/tb-reason /tmp/*.dumped "$XLOG"/guest-*.log
	xl dmesg -c >/dev/null
	# The scenario's arguments are split on purpose; the shift leaves a
	# scenario without arguments no stray $1 (". FILE" keeps the caller's).
	# shellcheck disable=SC2016,SC2086
	TB_FRONT=$1 timeout -s KILL "$t" bash -c \
		'. /tb/run.env; . /tb/tblib.sh; f=$1; shift; . "/tb/scenarios/$f.sh" "$@"' \
		_ "$2" ${3//,/ }
}

# tb_emulator_fault: since the last scenario began, Xen killed an HVM/PVH
# guest for a triple fault that no guest code can cause, three kinds seen
# from QEMU's software SVM (Documentation/testbed.rst, "Guest TSC"):
# vCPU state holding Xen's own code selector (cs e008) and RIP, right
# after xl restore; vCPU state in user mode (cs 0033 or 0023): a guest
# that cannot deliver an exception nor then a double fault, from user
# space, which needs a broken IDT, GDT or TSS, none of which the tests
# touch (seen once, 2026-12-04, in CI: fio running in a PVH guest); or
# a RIP where the testbed kernel exits to Xen
# ($TB_HCALL_RIPS, "START END" pairs from System.map: its VMMCALL
# hypercall stub, its x2APIC EOI write), a guest killed by the
# instruction that enters Xen.  Or a guest kernel died of a
# double fault in its exception entry code with the fault on its own
# entry stack (the cpu_entry_area, fffffe...): a page fault that recurses
# in the entry code until that stack overflows, which kernel code cannot
# cause (seen twice, 2026-12-04, in PVH guests under the instruction
# counter, Documentation/testbed.rst).
tb_emulator_fault() {
	local g
	for g in "$XLOG"/guest-*.log; do
		[ -f "$g" ] && grep -q "traps: PANIC: double fault" "$g" &&
			grep -qE "RIP: 0010:(error_entry|exc_page_fault|asm_exc_page_fault)\+" "$g" &&
			grep -qE "CR2: fffffe" "$g" && return 0
	done
	xl dmesg | awk -v range="${TB_HCALL_RIPS:-}" '
		BEGIN { split(range, r, " ") }
		/Triple fault/ { t = 1 }
		t && /RIP: +(e008|0033|0023):/ { f = 1 }
		t && /RIP: +0010:\[</ {
			rip = $0
			sub(/.*\[</, "", rip)
			sub(/>.*/, "", rip)
			# Same-length lower-case hex compares as text.
			for (i = 1; i + 1 in r; i += 2)
				if (rip >= r[i] && rip < r[i + 1])
					f = 1
		}
		END { exit !f }'
}

# tb_run_all [REASON]: run every scenario of $TB_SCENARIOS ("[front[+back]/]
# file:arg,arg ...", front being the guests' blkfront, stock or ours, and
# back the dom0 backend to switch to first) in turn,
# each in its own shell with a hard timeout; with REASON, fail them all
# with it instead (dom0 could not start the toolstack).  A scenario that
# failed because of the emulator (tb_emulator_fault) runs again, up to
# TB_ATTEMPTS (3) attempts in all.
tb_run_all() {
	local spec file args name rc d front try attempts=${TB_ATTEMPTS:-3}
	for spec in $TB_SCENARIOS; do
		front=${TB_FRONT:-stock} prefix="" back=""
		if [ "${spec#*/}" != "$spec" ]; then
			prefix=${spec%%/*}
			spec=${spec#*/}
			front=${prefix%%+*}
			[ "$prefix" != "$front" ] && back=${prefix#*+}
		fi
		file=${spec%%:*}
		args=""
		[ "$spec" != "$file" ] && args=${spec#*:}
		name=$file${args:+-${args//,/-}}
		[ -n "$prefix" ] && [ "$prefix" != stock ] && name=$prefix-$name
		if [ -n "${1:-}" ]; then
			echo "@@TB FAIL $name: $1"
			continue
		fi
		echo "@@TB BEGIN $name"
		# "front+back/": this scenario needs that backend in dom0; the
		# switch unloads the other one, which must work when it is idle.
		if [ -n "$back" ] && [ "$(tb_backend)" != "$back" ] &&
			! tb_switch_backend "$back"; then
			echo "@@TB FAIL $name: cannot switch dom0 to the $back backend"
			continue
		fi
		tb_run_one "$front" "$file" "$args"
		rc=$?
		# Each attempt starts with Xen's and the guests' logs cleared,
		# so each retry needs an emulator fault of its own.
		for try in $(seq 2 "$attempts"); do
			{ [ $rc -ne 0 ] && tb_emulator_fault; } || break
			tb_msg "emulator fault: a PVH guest died where no guest code can make it (QEMU's SVM emulation, see Documentation/testbed.rst); running $name again (attempt $try of $attempts)"
			tb_cleanup
			tb_undo
			tb_run_one "$front" "$file" "$args"
			rc=$?
		done
		if [ $rc -eq 0 ]; then
			echo "@@TB PASS $name"
		else
			[ $rc -eq 137 ] && echo "timed out in dom0 (TB_SCENARIO_TIMEOUT ${TB_SCENARIO_TIMEOUT}s, times its scenario's factor: tb_run_one)" >/tmp/tb-reason
			xl list
			for d in "$XLOG"/guest-*.log; do
				d=${d##*/guest-}
				[ -f "$XLOG/guest-$d" ] && guest_dump "${d%.log}"
			done
			echo "@@TB FAIL $name: $(cat /tmp/tb-reason 2>/dev/null || echo "exit status $rc")"
		fi
		tb_cleanup
		tb_undo
	done
	echo "@@TB ALLDONE"
}
