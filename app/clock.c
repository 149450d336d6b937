/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#include <time.h>

#include "clock.h"

uint64_t app_tsc_per_ms = 1;
uint64_t app_clock_base_ms;

void
app_clock_init(void)
{
	uint64_t hz = rte_get_tsc_hz();

	app_tsc_per_ms = hz / 1000 ? hz / 1000 : 1;
}

void
app_clock_continue_from(uint64_t ms)
{
	uint64_t now = app_clock_ms();

	if (now < ms)
		app_clock_base_ms += ms - now;
}

uint64_t
app_unix_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
app_sleep_ms(uint32_t ms)
{
	struct timespec ts = {
			.tv_sec = ms / 1000,
			.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	nanosleep(&ts, NULL);
}
