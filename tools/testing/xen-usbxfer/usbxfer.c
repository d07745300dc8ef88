// SPDX-License-Identifier: GPL-2.0
/*
 * usbxfer - isochronous and interrupt transfers to a USB device through
 * usbfs, for the PV USB scenarios (a guest's xen-hcd, dom0's xen-usbback).
 *
 *   usbxfer iso BUS DEV [URBS]    the first alternate setting with an
 *                                 isochronous endpoint: URBS URBs (64) of
 *                                 8 packets of its packet size, 4 in flight;
 *                                 every URB and packet must succeed with
 *                                 its whole length moved (OUT) or a length
 *                                 within the packet (IN)
 *   usbxfer intr BUS DEV          an interrupt IN URB on the first
 *                                 interrupt endpoint, left pending 300 ms
 *                                 (an idle HID device answers nothing) and
 *                                 then discarded: it must come back
 *                                 cancelled, not completed nor lost
 *
 * The kernel's driver of the interface is detached first.  Prints one
 * summary line; exit status 0 when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>

#define NR_PACKETS	8
#define IN_FLIGHT	4

struct ep_found {
	int intf;
	int alt;
	unsigned char addr;
	unsigned int maxp;
};

static void die(const char *what)
{
	fprintf(stderr, "usbxfer: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* The first endpoint of @type in the descriptors usbfs gives (read()). */
static int find_ep(int fd, int type, struct ep_found *ep)
{
	unsigned char buf[4096];
	int len, pos = 0, intf = -1, alt = 0;

	len = read(fd, buf, sizeof(buf));
	if (len < 0)
		die("reading the descriptors");
	while (pos + 2 <= len && buf[pos] >= 2) {
		const unsigned char *d = buf + pos;

		if (d[1] == USB_DT_INTERFACE && d[0] >= 4) {
			intf = d[2];
			alt = d[3];
		} else if (d[1] == USB_DT_ENDPOINT && d[0] >= 7 && intf >= 0 &&
			   (d[3] & USB_ENDPOINT_XFERTYPE_MASK) == type) {
			ep->intf = intf;
			ep->alt = alt;
			ep->addr = d[2];
			/* Bits 12:11 are extra transactions per microframe. */
			ep->maxp = (d[4] | d[5] << 8) & 0x7ff;
			return 0;
		}
		pos += buf[pos];
	}
	return -1;
}

/* Take the interface from the kernel's driver, if any, and claim it. */
static void claim(int fd, const struct ep_found *ep)
{
	struct usbdevfs_ioctl cmd = {
		.ifno = ep->intf,
		.ioctl_code = USBDEVFS_DISCONNECT,
	};
	struct usbdevfs_setinterface si = {
		.interface = ep->intf,
		.altsetting = ep->alt,
	};
	unsigned int intf = ep->intf;

	if (ioctl(fd, USBDEVFS_IOCTL, &cmd) < 0 && errno != ENODATA)
		die("detaching the interface's driver");
	if (ioctl(fd, USBDEVFS_CLAIMINTERFACE, &intf) < 0)
		die("claiming the interface");
	if (ep->alt && ioctl(fd, USBDEVFS_SETINTERFACE, &si) < 0)
		die("selecting the alternate setting");
}

static struct usbdevfs_urb *iso_urb(const struct ep_found *ep, unsigned int n)
{
	struct usbdevfs_urb *u;
	unsigned char *data;
	unsigned int i, j;

	u = calloc(1, sizeof(*u) + NR_PACKETS * sizeof(u->iso_frame_desc[0]));
	data = malloc(NR_PACKETS * ep->maxp);
	if (!u || !data)
		die("allocating a URB");
	for (j = 0; j < NR_PACKETS * ep->maxp; j++)
		data[j] = (unsigned char)(n * 7 + j);
	u->type = USBDEVFS_URB_TYPE_ISO;
	u->endpoint = ep->addr;
	u->flags = USBDEVFS_URB_ISO_ASAP;
	u->buffer = data;
	u->buffer_length = NR_PACKETS * ep->maxp;
	u->number_of_packets = NR_PACKETS;
	for (i = 0; i < NR_PACKETS; i++)
		u->iso_frame_desc[i].length = ep->maxp;
	return u;
}

/* One reaped isochronous URB: the number of failed checks. */
static int iso_judge(const struct ep_found *ep, const struct usbdevfs_urb *u,
		     unsigned long *bytes)
{
	int i, bad = 0;

	if (u->status) {
		fprintf(stderr, "usbxfer: iso URB status %d\n", u->status);
		bad++;
	}
	for (i = 0; i < u->number_of_packets; i++) {
		const struct usbdevfs_iso_packet_desc *d = &u->iso_frame_desc[i];
		int ok = d->status == 0 &&
			 ((ep->addr & USB_DIR_IN) ? d->actual_length <= d->length :
						    d->actual_length == d->length);

		if (!ok) {
			fprintf(stderr, "usbxfer: iso packet %d: status %d, %u of %u bytes\n",
				i, d->status, d->actual_length, d->length);
			bad++;
		}
		*bytes += d->actual_length;
	}
	return bad;
}

static int run_iso(int fd, unsigned int total)
{
	struct usbdevfs_urb *u;
	struct ep_found ep;
	unsigned int sent = 0, done = 0;
	unsigned long bytes = 0;
	int bad = 0;

	if (find_ep(fd, USB_ENDPOINT_XFER_ISOC, &ep))
		return fprintf(stderr, "usbxfer: no isochronous endpoint\n"), 1;
	claim(fd, &ep);
	while (done < total) {
		while (sent < total && sent - done < IN_FLIGHT) {
			u = iso_urb(&ep, sent);
			if (ioctl(fd, USBDEVFS_SUBMITURB, u) < 0)
				die("submitting an iso URB");
			sent++;
		}
		if (ioctl(fd, USBDEVFS_REAPURB, &u) < 0)
			die("reaping an iso URB");
		bad += iso_judge(&ep, u, &bytes);
		free(u->buffer);
		free(u);
		done++;
	}
	printf("iso: interface %d alt %d endpoint 0x%02x (%u-byte packets): ",
	       ep.intf, ep.alt, ep.addr, ep.maxp);
	printf("%u URBs, %u packets, %lu bytes, %d bad\n",
	       done, done * NR_PACKETS, bytes, bad);
	return bad ? 1 : 0;
}

static int run_intr(int fd)
{
	struct usbdevfs_urb u = { .type = USBDEVFS_URB_TYPE_INTERRUPT }, *r;
	unsigned char data[64];
	struct ep_found ep;

	if (find_ep(fd, USB_ENDPOINT_XFER_INT, &ep) || !(ep.addr & USB_DIR_IN))
		return fprintf(stderr, "usbxfer: no interrupt IN endpoint\n"), 1;
	claim(fd, &ep);
	u.endpoint = ep.addr;
	u.buffer = data;
	u.buffer_length = ep.maxp < sizeof(data) ? ep.maxp : sizeof(data);
	if (ioctl(fd, USBDEVFS_SUBMITURB, &u) < 0)
		die("submitting the interrupt URB");
	usleep(300000);
	if (ioctl(fd, USBDEVFS_REAPURBNDELAY, &r) == 0) {
		printf("intr: endpoint 0x%02x: completed before the discard ",
		       ep.addr);
		printf("(status %d, %d bytes)\n", r->status, r->actual_length);
		return r->status ? 1 : 0;
	}
	if (ioctl(fd, USBDEVFS_DISCARDURB, &u) < 0)
		die("discarding the interrupt URB");
	if (ioctl(fd, USBDEVFS_REAPURB, &r) < 0)
		die("reaping the discarded URB");
	printf("intr: endpoint 0x%02x: pending, then discarded: status %d\n",
	       ep.addr, r->status);
	/* Cancelled: usbfs reports -ENOENT (or -ECONNRESET) for an unlink. */
	return r == &u && (r->status == -ENOENT || r->status == -ECONNRESET) ? 0 : 1;
}

int main(int argc, char **argv)
{
	char path[64];
	int fd;

	if (argc < 4 || (strcmp(argv[1], "iso") && strcmp(argv[1], "intr"))) {
		fprintf(stderr, "usage: usbxfer iso|intr BUS DEV [URBS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/bus/usb/%03d/%03d",
		 atoi(argv[2]), atoi(argv[3]));
	fd = open(path, O_RDWR);
	if (fd < 0)
		die(path);
	if (!strcmp(argv[1], "iso"))
		return run_iso(fd, argc > 4 ? (unsigned int)atoi(argv[4]) : 64);
	return run_intr(fd);
}
