/* The smallest machine (init-minimal.h) with container.monitor: the
 * monitor and the runtime state it reads build without the launcher. */
#include "init-minimal.h"
#undef WITH_MONITOR
#define WITH_MONITOR   1
