// SPDX-License-Identifier: GPL-2.0
/* KUnit: blkfront's response checks. */
#include <xenpv/core.c>
#include "../blkfront/test_rsp.c"
