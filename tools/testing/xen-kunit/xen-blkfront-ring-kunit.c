// SPDX-License-Identifier: GPL-2.0
/* KUnit: blkfront's ring sizes, state and counter tables. */
#include <xenpv/core.c>
#include "../blkfront/test_ring.c"
