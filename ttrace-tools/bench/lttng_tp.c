/* The LTTng-UST probes for lttng_tp.h (compiled once, linked into the bench). */
#define TRACEPOINT_CREATE_PROBES
#define TRACEPOINT_DEFINE
#include "lttng_tp.h"
