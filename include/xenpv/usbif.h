/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The units, limits and xenstore keys of the PV USB protocol (Xen's
 * io/usbif.h), defined once for the USB frontend and backend and their
 * userspace tests, with what usbif.h leaves unsaid: the layout of an
 * isochronous request's packet descriptors (Documentation/usbback.rst).
 *
 * usbif describes buffers in 4 KiB grant frames, whatever the page size
 * of either domain; both rings are one frame each.
 */
#ifndef _XENPV_USBIF_H
#define _XENPV_USBIF_H

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <xen/interface/io/usbif.h>
#include <xenpv/xs-parse.h>

#define XENPV_USB_GRANT_SIZE		4096U
#define XENPV_USB_MAX_SEGS		XENUSB_MAX_SEGMENTS_PER_REQUEST
#define XENPV_USB_MAX_PORTS		XENUSB_MAX_PORTNR
/*
 * The longest transfer a request carries: 16 full segments, 64 KiB.
 * buffer_length has 16 bits, so a bulk or interrupt transfer of 64 KiB
 * goes as 0 (Linux's xen-hcd sends it so); both our ends follow that.
 */
#define XENPV_USB_MAX_LENGTH		(XENPV_USB_MAX_SEGS * XENPV_USB_GRANT_SIZE)

/* Device addresses a frontend may hand out with SET_ADDRESS: 1-127. */
#define XENPV_USB_MAX_ADDR		127U

/*
 * An isochronous request carries, after its buffer segments,
 * nr_frame_desc_segs segments holding number_of_packets of these, in
 * order: Linux's struct usb_iso_packet_descriptor, four 32-bit fields.
 * The frontend fills in @offset and @length; the backend writes back
 * @actual_length and @status (0 or a negative Linux errno) before it
 * answers.  Both frontends of Linux lineage grant that array writable.
 */
struct xenpv_usb_iso_desc {
	u32 offset;
	u32 length;
	u32 actual_length;
	s32 status;
};

#define XENPV_USB_ISO_DESC_SIZE		16U
/* Most packets in one isochronous request: 4 frames of descriptors. */
#define XENPV_USB_MAX_ISO_PACKETS	1024U

static_assert(sizeof(struct xenpv_usb_iso_desc) == XENPV_USB_ISO_DESC_SIZE);

/* The keys of the protocol: the toolstack's, then the frontend's. */
#define XENPV_USB_KEY_NUM_PORTS		"num-ports"
#define XENPV_USB_KEY_USB_VER		"usb-ver"
#define XENPV_USB_KEY_PORT		"port"
#define XENPV_USB_KEY_URB_RING_REF	"urb-ring-ref"
#define XENPV_USB_KEY_CONN_RING_REF	"conn-ring-ref"
#define XENPV_USB_KEY_EVTCHN		"event-channel"

/**
 * xenpv_usb_parse_ctrl() - parse a controller's "num-ports" and "usb-ver"
 * @nr_ports: the "num-ports" value, NULL if absent
 * @usb_ver: the "usb-ver" value, NULL if absent
 * @ports: set to the port count, 1 to XENPV_USB_MAX_PORTS
 * @ver: set to XENUSB_VER_USB11 or XENUSB_VER_USB20
 *
 * Both are required (libxl always writes them).  Nothing is set on error.
 *
 * Return: 0; -EINVAL for an absent or malformed number or one out of
 * range, -ERANGE for one beyond 32 bits.
 */
static inline int xenpv_usb_parse_ctrl(const char *nr_ports,
				       const char *usb_ver,
				       unsigned int *ports, unsigned int *ver)
{
	u32 p, v;
	int err;

	err = xenpv_parse_u32(nr_ports, &p);
	if (!err)
		err = xenpv_parse_u32(usb_ver, &v);
	if (err)
		return err;
	if (!p || p > XENPV_USB_MAX_PORTS ||
	    (v != XENUSB_VER_USB11 && v != XENUSB_VER_USB20))
		return -EINVAL;
	*ports = p;
	*ver = v;
	return 0;
}

#endif /* _XENPV_USBIF_H */
