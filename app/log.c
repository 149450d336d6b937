/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The application's log type and its errors: rte_log at ERR, and stderr as well when rte_log
 * would not print them there (log.h).
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "log.h"

RTE_LOG_REGISTER(app_logtype, twq.app, INFO);

static bool eal_ready;

void
app_log_eal_ready(void)
{
	eal_ready = true;
}

/*
 * Whether an ERR line of rte_log reaches stderr: before EAL, rte_log writes to stderr itself;
 * after, EAL's console stream writes to stderr and syslog (DPDK 22.11, lib/eal/linux/eal_log.c)
 * unless the application opened another stream, which dpdk-twq does not. So only a level
 * below ERR for twq.app (--log-level twq.app:crit) keeps it off stderr.
 */
static bool
app_log_on_stderr(void)
{
	if (!rte_log_can_log(app_logtype, RTE_LOG_ERR))
		return false;
	return eal_ready || rte_log_get_stream() == stderr;
}

void
app_err(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rte_log(RTE_LOG_ERR, app_logtype, "TWQ: %s\n", buf);
	if (!app_log_on_stderr()) {
		fprintf(stderr, "dpdk-twq: %s\n", buf);
		fflush(stderr);
	}
}
