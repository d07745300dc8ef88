# SPDX-License-Identifier: GPL-2.0
# save_restore TYPE [VCPUS [RINGS]]: xl save and xl restore while fio
# writes with crc32c headers; afterwards every block verifies.  With
# RINGS, the backend is reloaded between save and restore to offer only
# RINGS queues, and the guest must come back with that many rings.
# shellcheck shell=bash
vcpus=${2:-2} rings=${3:-}
guest_create sr type="$1" vcpus="$vcpus" front="${TB_FRONT:-stock}" script=save_restore \
	args="128M $rings" disk="phy:/dev/nullb1,xvda,w"
guest_wait_writing sr
t0=$(date +%s)
xl save sr /tmp/sr.save || fail "xl save failed"
guest_alive sr && fail "domain still running after xl save"
if [ -n "$rings" ]; then
	# Whatever happens next, the following scenarios get the usual backend.
	tb_backend_until_exit sr "$rings" ||
		fail "cannot reload the $(tb_backend) backend with $rings queues"
fi
xl restore /tmp/sr.save || fail "xl restore failed"
rm -f /tmp/sr.save
tb_msg "saved and restored in $(( $(date +%s) - t0 ))s"
guest_finish sr 300
