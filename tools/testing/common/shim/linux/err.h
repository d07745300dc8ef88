/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_ERR_H
#define _SHIM_LINUX_ERR_H

/* The largest errno the kernel hands around in a pointer or a status. */
#define MAX_ERRNO	4095

#endif
