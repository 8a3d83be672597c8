/*
 * LTTng-UST tracepoint provider for the side-by-side benchmark: ttbench:on
 * (enabled in the benchmark's session) and ttbench:off (never enabled),
 * both with the fields of a ttrace sys_enter record (nr and four args).
 */
#undef TRACEPOINT_PROVIDER
#define TRACEPOINT_PROVIDER ttbench

#undef TRACEPOINT_INCLUDE
#define TRACEPOINT_INCLUDE "./lttng_tp.h"

#if !defined(LTTNG_TP_H) || defined(TRACEPOINT_HEADER_MULTI_READ)
#define LTTNG_TP_H

#include <lttng/tracepoint.h>

TRACEPOINT_EVENT_CLASS(ttbench, sys_enter_class,
	TP_ARGS(unsigned int, nr, unsigned long, a0, unsigned long, a1,
		unsigned long, a2, unsigned long, a3),
	TP_FIELDS(
		ctf_integer(unsigned int, nr, nr)
		ctf_integer(unsigned long, a0, a0)
		ctf_integer(unsigned long, a1, a1)
		ctf_integer(unsigned long, a2, a2)
		ctf_integer(unsigned long, a3, a3)
	)
)
TRACEPOINT_EVENT_INSTANCE(ttbench, sys_enter_class, on,
	TP_ARGS(unsigned int, nr, unsigned long, a0, unsigned long, a1,
		unsigned long, a2, unsigned long, a3))
TRACEPOINT_EVENT_INSTANCE(ttbench, sys_enter_class, off,
	TP_ARGS(unsigned int, nr, unsigned long, a0, unsigned long, a1,
		unsigned long, a2, unsigned long, a3))

#endif

#include <lttng/tracepoint-event.h>
