# SPDX-License-Identifier: GPL-2.0
# usb_detach: xl usbdev-detach of the guest's USB disk while fio reads it,
# then usbdev-attach again: the guest sees the disk go and come back, fio
# verify passes on it; no dom0 task is stuck, no warning.
# shellcheck shell=bash
tb_usb_guest u usb_detach "${TB_FRONT:-stock}"
guest_wait u LOADED 120
xl usbdev-detach u 0 1 || fail "xl usbdev-detach under load failed"
guest_wait u GONE 120
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck after the detach: $stuck"
tb_usb_attach u
guest_finish u 300
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
