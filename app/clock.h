/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_CLOCK_H
#define APP_CLOCK_H

#include <stdint.h>

#include <rte_cycles.h>

/** TSC cycles per millisecond, set once by app_clock_init() before any lcore is launched. */
extern uint64_t app_tsc_per_ms;

/**
 * Added to the TSC milliseconds, so that the engine's clock (and the TSval of every reply)
 * continues across a restart from a state file. Set only before the lcores are launched.
 */
extern uint64_t app_clock_base_ms;

/** Set up the millisecond clock (after rte_eal_init). */
void app_clock_init(void);

/** Monotonic milliseconds from the TSC, the same on every lcore. */
static inline uint64_t
app_clock_ms(void)
{
	return rte_get_tsc_cycles() / app_tsc_per_ms + app_clock_base_ms;
}

/**
 * Move the clock forward so that app_clock_ms() is at least @p ms from now on (never back).
 * Before the lcores are launched only.
 */
void app_clock_continue_from(uint64_t ms);

/** Microseconds in a TSC interval. */
static inline double
app_tsc_to_us(uint64_t cycles)
{
	return (double)cycles * 1000.0 / (double)app_tsc_per_ms;
}

/** Wall-clock milliseconds since the epoch (CLOCK_REALTIME), for the state file. */
uint64_t app_unix_ms(void);

/** Sleep for a number of milliseconds (interrupted early by a signal). */
void app_sleep_ms(uint32_t ms);

#endif /* APP_CLOCK_H */
