// SPDX-License-Identifier: GPL-2.0
/* KUnit: blkfront's recovery planner after resume or migration. */
#include <xenpv/core.c>
#include "../blkfront/test_recover.c"
