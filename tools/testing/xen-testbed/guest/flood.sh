# SPDX-License-Identifier: GPL-2.0
# flood WRITES NODES: once dom0 detaches the token disk xvdz, rewrite
# data/tb-flood/<i mod NODES> (test module xen-watchstall, 4 threads in
# the kernel) until WRITES writes are done or dom0 writes data/tb-stop,
# whichever comes first.  (Not a token disk: dom0 handles this domain's
# devices in the lane the flood fills.)
# shellcheck shell=sh
P=/sys/module/xen_watchstall/parameters
wait_disk xvdz 30 || gfail "no /dev/xvdz after 30s"
gmark READY
wait_signal 240
insmod /tb/mod/test/xen-watchstall.ko flood_writes="$1" flood_nodes="$2" \
	flood_threads=4 || gfail "cannot load xen-watchstall"
gmark FLOODING
t0=$(date +%s)
while [ "$(cat $P/flood_done)" != 1 ]; do
	sleep 1
done
n=$(cat $P/flood_written) refused=$(cat $P/flood_errors)
rmmod xen-watchstall || gfail "cannot remove xen-watchstall"
gmark FLOODED "$n writes, $refused refused, $((n / ($(date +%s) - t0 + 1))) writes/s"
[ "$refused" -lt "$n" ] || gfail "xenstore refused every write"
