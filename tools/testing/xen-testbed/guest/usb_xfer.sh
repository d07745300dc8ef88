# SPDX-License-Identifier: GPL-2.0
# usb_xfer [stock|ours]: behind Linux's xen-hcd or ours, the audio
# device's isochronous stream and the tablet's cancelled interrupt URB
# (tools/testing/xen-usbxfer), each as dom0's usb_xfer scenario says.
# shellcheck shell=sh
usb_load_hcd "${1:-stock}"
audio=$(poll_until 600 usb_product "QEMU USB Audio") || gfail "no USB audio device after 60s"
tablet=$(poll_until 600 usb_product "QEMU USB Tablet") || gfail "no USB tablet after 60s"
# shellcheck disable=SC2086
/tb/bin/usbxfer iso $audio || gfail "isochronous transfers to the audio device failed"
# shellcheck disable=SC2086
/tb/bin/usbxfer intr $tablet || gfail "the tablet's interrupt URB was not cancelled right"
gmark XFER-DONE
# dom0 reads the backend's counters while the controller is there.
hear COUNTED 120
gkernel_clean
gmark OK
