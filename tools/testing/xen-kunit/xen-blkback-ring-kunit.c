// SPDX-License-Identifier: GPL-2.0
/* KUnit: blkback's ring accounting against a hostile producer. */
#include <xenpv/core.c>
#include "../blkback/test_ring.c"
