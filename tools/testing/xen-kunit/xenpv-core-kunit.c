// SPDX-License-Identifier: GPL-2.0
/* KUnit: the xenpv core (ids, producer indexes, state and counter tables). */
#include <xenpv/core.c>
#include "../xenpv/test_core.c"
