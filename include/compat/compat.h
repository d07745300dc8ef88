/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels these drivers build against is
 * handled here, and only here.  Which side of each difference a kernel is
 * on is decided by compiling a probe (include/compat/probes/), never by
 * comparing version numbers: distributions backport.
 *
 * To add one: write include/compat/probes/NAME.c, whose first comment
 * line says what it detects, that compiles only when the feature is
 * there; use COMPAT_HAVE_NAME below to give the drivers one interface.
 */
#ifndef _XEN_PV_COMPAT_H
#define _XEN_PV_COMPAT_H

#include "generated/compat-probes.h"

#endif /* _XEN_PV_COMPAT_H */
