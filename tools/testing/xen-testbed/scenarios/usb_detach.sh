# SPDX-License-Identifier: GPL-2.0
# usb_detach: xl usbdev-detach of the guest's USB disk while fio reads it,
# then usbdev-attach again: the guest sees the disk go and come back, fio
# verify passes on it; after the detach our backend holds no URB or
# buffer of the guest's; no dom0 task is stuck, no warning; once the
# guest is gone the census is empty and the backend unloads.
# shellcheck shell=bash
tb_usb_guest u usb_detach "${TB_FRONT:-stock}"
domid=$(xl domid u) || fail "no domain id for u"
guest_wait u LOADED 120
tb_msg "under load: $(tb_usb_stat "$domid" inflight) requests in flight"
xl usbdev-detach u 0 1 || fail "xl usbdev-detach under load failed"
tb_usb_census_wait urbs buf_pages
tb_msg "after the detach: $(tb_usb_stat "$domid" inflight) in flight, $(tb_usb_stat "$domid" unlink_req) unlinks, $(tb_usb_stat "$domid" urb_err) URB errors"
guest_wait u GONE 120
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck after the detach: $stuck"
tb_usb_attach u
guest_finish u 300
tb_usb_census_wait ctrls rings urbs buf_pages
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
rmmod xen-usbback || fail "xen-usbback does not unload once its guest is gone"
