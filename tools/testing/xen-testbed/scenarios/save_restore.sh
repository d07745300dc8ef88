# SPDX-License-Identifier: GPL-2.0
# save_restore TYPE: xl save and xl restore while fio writes with crc32c
# headers; afterwards every block verifies.
# shellcheck shell=bash
guest_create sr type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=save_restore \
	disk="phy:/dev/nullb1,xvda,w"
guest_wait sr FIO-START 180
sleep 2
grep -q '^@@G WRITE-DONE' "$XLOG/guest-sr.log" &&
	fail "the guest's write phase ended before xl save began; make it longer"
t0=$(date +%s)
xl save sr /tmp/sr.save || fail "xl save failed"
guest_alive sr && fail "domain still running after xl save"
xl restore /tmp/sr.save || fail "xl restore failed"
rm -f /tmp/sr.save
tb_msg "saved and restored in $(( $(date +%s) - t0 ))s"
guest_finish sr 300
