/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: parameters are plain variables the tests set. */
#ifndef _SHIM_LINUX_MODULEPARAM_H
#define _SHIM_LINUX_MODULEPARAM_H

#define module_param_named(name, var, type, perm)
#define MODULE_PARM_DESC(name, desc)

#endif
