// SPDX-License-Identifier: GPL-2.0-only
/*
 * This module's copy of the xenpv core (include/xenpv/): its own fault
 * injection knobs and log lines, no symbol shared with other modules.
 */
#include <xenpv/core.c>
#include <xenpv/xenbus.c>
