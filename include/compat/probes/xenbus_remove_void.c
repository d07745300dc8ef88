// SPDX-License-Identifier: GPL-2.0
/* xenbus_driver.remove returns void (6.4+) */
#include <xen/xenbus.h>

_Static_assert(__builtin_types_compatible_p(
		       typeof(((struct xenbus_driver *)0)->remove),
		       void (*)(struct xenbus_device *)),
	       "remove returns int");
