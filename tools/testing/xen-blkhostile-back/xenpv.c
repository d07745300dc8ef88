// SPDX-License-Identifier: GPL-2.0-only
/*
 * This module's copy of the xenpv core (include/xenpv/), as each driver
 * compiles its own.
 */
#include <xenpv/core.c>
#include <xenpv/xenbus.c>
