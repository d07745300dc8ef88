# SPDX-License-Identifier: GPL-2.0
# vecload SECONDS: xvda's channels are delivered on vectors of their own
# (check_delivery); fio 4k random reads at queue depth 32, one job per
# vCPU, for SECONDS; the disk's interrupts must have come, and count how
# many repeated deliveries the vector domain dropped ("with interrupts
# disabled" in the kernel log); then fio verify on the same disk.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
check_delivery vectors
cat /proc/interrupts >/tmp/irq.before
fio --name=load --filename=/dev/xvda --allow_file_create=0 --ioengine=libaio --direct=1 \
	--rw=randread --bs=4k --iodepth=32 --size=256M --time_based --runtime="$1" \
	--numjobs="$(nproc)" --group_reporting --output-format=terse --terse-version=3 \
	>/tmp/fio.out 2>&1 || gfail "fio under load failed: $(tail -n 2 /tmp/fio.out)"
cat /proc/interrupts >/tmp/irq.after
ios=$(awk -F';' 'NF > 50 { print $6 / 4 }' /tmp/fio.out)
irqs=$(awk -v n="$(nproc)" '$NF ~ /^blkif/ { for (c = 2; c <= n + 1; c++) s[FILENAME] += $c }
	END { print s["/tmp/irq.after"] - s["/tmp/irq.before"] }' /tmp/irq.before /tmp/irq.after)
[ "$irqs" -gt 0 ] || gfail "no interrupts of xvda during fio"
echo "during fio: ${ios%.*} reads, $irqs disk interrupts, $(dmesg |
	grep -c 'with interrupts disabled, not from the local APIC') repeated deliveries dropped"
fio_verify xvda 64M --numjobs=1
gmark OK
