/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: see evv-shim.h. */
#include "../evv-shim.h"
