/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel's <linux/usb/ch9.h> is the uapi one plus
 * enum usb_device_speed and helpers; the uapi header, which the system
 * has, wants the __u8/__le16 types that the shim's <linux/types.h> does
 * not give.
 */
#ifndef _SHIM_LINUX_USB_CH9_H
#define _SHIM_LINUX_USB_CH9_H

#include <asm/types.h>
#include <linux/types.h>

typedef __u16 __le16;
typedef __u32 __le32;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __le64;
typedef __u64 __be64;

#include_next <linux/usb/ch9.h>

#endif
