/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel's <linux/usb/ch11.h> is the uapi one plus
 * hub helpers; the uapi header wants the types <linux/usb/ch9.h> sets up.
 */
#ifndef _SHIM_LINUX_USB_CH11_H
#define _SHIM_LINUX_USB_CH11_H

#include <linux/usb/ch9.h>

#include_next <linux/usb/ch11.h>

#endif
