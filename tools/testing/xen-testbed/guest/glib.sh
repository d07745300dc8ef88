# SPDX-License-Identifier: GPL-2.0
# Helpers for the testbed's guest scripts (busybox sh).
# shellcheck shell=sh

# gfail REASON: report why the guest script failed, and end it.
gfail() {
	echo "@@G FAIL $*"
	exit 1
}

gmark() { echo "@@G $*"; }

# gfile NAME PATH: send a file to the host through the console.
gfile() {
	printf '\n@@FILE %s\n' "$1"
	gzip -c "$2" | base64
	echo "@@END $1 $(sha256sum <"$2" | cut -c1-64)"
}

# gkernel_clean [PATTERN]: fail the script if this guest's kernel logged an
# oops, a BUG or a warning (or a line matching the extended regex PATTERN).
gkernel_clean() {
	pat="Oops|BUG:|WARNING:|Call Trace${1:+|$1}"
	dmesg | grep -E -q "$pat" || return 0
	dmesg | grep -E -A 20 "$pat" | head -n 40
	gfail "the guest's kernel complained"
}

# nr_queues DEV: the number of blk-mq hardware queues of DEV.
nr_queues() {
	n=0
	for q in /sys/block/"$1"/mq/[0-9]*; do
		[ -d "$q" ] && n=$((n + 1))
	done
	echo "$n"
}

# load_front stock|ours|none: load that xen-blkfront, ours with the
# module parameters of TB_FPARAMS ("name=value ...").
load_front() {
	case "$1" in
	stock) insmod /tb/mod/stock/xen-blkfront.ko ;;
	ours)
		# shellcheck disable=SC2086
		insmod /tb/mod/ours/xen-blkfront.ko $TB_FPARAMS ;;
	none) return 0 ;;
	*) return 1 ;;
	esac
}

# wait_disk DEV [SECONDS]: wait until DEV is in /sys/block and /dev/DEV
# is its block device node.  Anything else at /dev/DEV (a regular file a
# program created while the node was gone) fails at once: fio would
# happily read and write that file instead of the disk.
wait_disk() {
	i=0
	while [ ! -e "/sys/block/$1" ] || [ ! -b "/dev/$1" ]; do
		if [ -e "/dev/$1" ] && [ ! -b "/dev/$1" ]; then
			ls -l "/dev/$1"
			return 1
		fi
		i=$((i + 1))
		[ $i -gt $((${2:-30} * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# wait_gone DEV [SECONDS]: wait until DEV has left /sys/block and its node
# has left /dev.  The kernel removes the /sys/block link first, so a
# script that only waited for that could still find the old node.
wait_gone() {
	i=0
	while [ -e "/sys/block/$1" ] || [ -e "/dev/$1" ]; do
		i=$((i + 1))
		[ $i -gt $((${2:-30} * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# fio_verify DEV SIZE [extra fio args]: write DEV with mixed block sizes
# (FIO_BSSPLIT, by default 512 B to 1 MiB) and check every block with
# crc32c; fails the script on any error.
fio_verify() {
	dev=$1 size=$2
	shift 2
	fio --name=verify --filename="/dev/$dev" --allow_file_create=0 --ioengine=libaio --direct=1 \
		--rw=randwrite --bssplit="${FIO_BSSPLIT:-512/10:4k/40:16k/20:64k/15:256k/10:1m/5}" \
		--iodepth=16 --size="$size" --verify=crc32c --verify_fatal=1 \
		--do_verify=1 --output-format=terse --terse-version=3 "$@" \
		>/tmp/fio.out 2>&1
	rc=$?
	awk -F';' 'NF > 50 { print "fio " $3 ": read " $6 " KiB, wrote " $47 " KiB, error " $5 }' /tmp/fio.out
	[ $rc -eq 0 ] || gfail "fio verify on $dev failed (rc=$rc): $(grep -m1 -i -E 'verify|error' /tmp/fio.out)"
}

# wait_signal [SECONDS]: wait for dom0's guest_signal (it detaches the
# token disk xvdz).
wait_signal() {
	wait_gone xvdz "${1:-120}" || gfail "no signal from dom0 within ${1:-120}s"
}

# hear WORD [SECONDS]: wait for the line WORD on the console's input
# (dom0's guest_say); lines before it are skipped.
hear() {
	# busybox's read has -t.
	# shellcheck disable=SC3045
	while read -r -t "${2:-120}" line; do
		[ "$line" = "$1" ] && return 0
	done
	gfail "dom0 did not say $1 within ${2:-120}s"
}

# front_stats DEV: our frontend's per-ring counters (debugfs), with a
# header line.
front_stats() {
	cat "/sys/kernel/debug/xen-blkfront/$1/rings"
}

# front_stat_sum DEV COLUMN: the sum of one column of front_stats.
front_stat_sum() {
	front_stats "$1" | awk -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
		k { s += $k } END { if (!k) exit 1; print s + 0 }'
}

# wait_io DEV N [SECONDS]: wait until DEV has completed N more reads and
# writes than when called (so a load started in the background really
# runs); 1 if it has not within SECONDS (default 120).
wait_io() {
	set -- "$1" "$2" "$(($(date +%s) + ${3:-120}))"
	io0=$(awk '{ print $1 + $5 }' "/sys/block/$1/stat")
	while [ "$(awk '{ print $1 + $5 }' "/sys/block/$1/stat" 2>/dev/null || echo 0)" -lt $((io0 + $2)) ]; do
		[ "$(date +%s)" -gt "$3" ] && return 1
		sleep 0.5
	done
	return 0
}

# usb_load_hcd stock|ours: that xen-hcd, with usb-storage and sd_mod; the
# guest's USB log is printed when the script ends.
usb_load_hcd() {
	trap 'echo "--- guest log:"; dmesg | grep -i -E "usb|hcd|scsi|sd[a-z]" | tail -n 40' EXIT
	insmod "/tb/mod/$1/xen-hcd.ko" || gfail "insmod of the $1 xen-hcd failed"
	for m in sd_mod usb-storage; do
		insmod "/tb/mod/stock/$m.ko" || gfail "insmod $m failed"
	done
}

# poll_until TENTHS CMD...: run CMD every 0.1 s until it succeeds, TENTHS
# times at most; its status.
poll_until() {
	n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		n=$((n - 1))
		sleep 0.1
	done
	return 1
}

# usb_first_disk: print the first sd disk, if there is one and it opens.
usb_first_disk() {
	for b in /sys/block/sd*; do
		[ -e "$b" ] || continue
		wait_disk "${b##*/}" 30 || return 1
		echo "${b##*/}"
		return 0
	done
	return 1
}

# usb_wait_disk: print the first sd disk once it is there (60s at most).
usb_wait_disk() { poll_until 600 usb_first_disk; }

# usb_product PRODUCT: "BUS DEV" of the USB device whose product string is
# PRODUCT, once usbfs has its node.
usb_product() {
	for d in /sys/bus/usb/devices/*; do
		[ "$(cat "$d/product" 2>/dev/null)" = "$1" ] || continue
		bus=$(cat "$d/busnum") dev=$(cat "$d/devnum")
		[ -e "/dev/bus/usb/$(printf %03d "$bus")/$(printf %03d "$dev")" ] || continue
		echo "$bus $dev"
		return 0
	done
	return 1
}

# check_delivery vectors|upcall: the disk's event channels (both
# frontends name them blkif...) are delivered that way: each on a vector
# of its own (xen.evtchn_vectors=Y, the vector domain's chip) or through
# Xen's upcall.
check_delivery() {
	case "$1" in
	vectors) param=Y chip=xen-dyn-vector-lateeoi ;;
	upcall) param=N chip=xen-dyn-lateeoi ;;
	*) gfail "check_delivery: vectors or upcall, not '$1'" ;;
	esac
	got=$(cat /sys/module/xen/parameters/evtchn_vectors 2>/dev/null)
	[ "$got" = "$param" ] || gfail "xen.evtchn_vectors is '$got', not $param ($1)"
	awk '$NF ~ /^blkif/ { sub(":", "", $1); print $1 }' /proc/interrupts >/tmp/blkif.irqs
	[ -s /tmp/blkif.irqs ] || gfail "no IRQ of a disk in /proc/interrupts"
	while read -r irq; do
		got=$(cat "/sys/kernel/irq/$irq/chip_name")
		[ "$got" = "$chip" ] || gfail "the disk's IRQ $irq is on $got, not $chip ($1)"
	done </tmp/blkif.irqs
}

# irq_fio DEV: 3 s of fio reads on DEV, one job pinned to each vCPU, between
# two snapshots of /proc/interrupts, /tmp/irq.before and /tmp/irq.after.
irq_fio() {
	cat /proc/interrupts >/tmp/irq.before
	fio --name=irq --filename="/dev/$1" --allow_file_create=0 --ioengine=libaio --direct=1 \
		--rw=randread --bs=4k --iodepth=8 --size=64M --time_based \
		--runtime=3 --numjobs="$(nproc)" --cpus_allowed="0-$(($(nproc) - 1))" \
		--cpus_allowed_policy=split >/tmp/fio.out 2>&1 ||
		gfail "fio for the interrupt placement failed: $(tail -n 2 /tmp/fio.out)"
	cat /proc/interrupts >/tmp/irq.after
}

# check_irq_placement DEV: with one fio job pinned to each vCPU, the
# interrupts of every ring N (our frontend names them blkif-VDEV-rN) are
# taken on a vCPU that blk-mq maps to hardware queue N.
check_irq_placement() {
	irq_fio "$1"
	n=$(nproc)
	for q in /sys/block/"$1"/mq/[0-9]*; do
		i=${q##*/}
		# The CPU that took most of this queue's interrupts during fio.
		cpu=$(awk -v n="$n" -v name="blkif-[0-9]+-r$i\$" '
			$NF ~ name { k = $1; for (c = 0; c < n; c++) v[FILENAME, k, c] = $(c + 2); keys[k] = 1 }
			END { for (k in keys) for (c = 0; c < n; c++) {
				d = v["/tmp/irq.after", k, c] - v["/tmp/irq.before", k, c]
				if (d > best) { best = d; bc = c } }
			if (best > 0) print bc }' /tmp/irq.before /tmp/irq.after)
		[ -n "$cpu" ] || gfail "queue $i: no interrupts named blkif-*-r$i during fio"
		list=$(tr -d ' ' <"$q/cpu_list")
		echo "  queue $i: interrupts on cpu $cpu, blk-mq cpus $list"
		case ",$list," in
		*",$cpu,"*) ;;
		*) gfail "queue $i: interrupts on cpu $cpu, not on one of its cpus ($list)" ;;
		esac
	done
}
