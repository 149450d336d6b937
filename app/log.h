/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_LOG_H
#define APP_LOG_H

/*
 * Every message of the application goes through rte_log with the type "twq.app" (registered
 * in log.c), so that EAL's --log-level, --syslog and the journal see them:
 *
 *   app_err()            ERR: what is wrong, where and how to fix it. Also printed plainly on
 *                        stderr when rte_log would not put it on the terminal (log.c).
 *   APP_LOG(INFO, ...)   start-up and shutdown facts, link changes.
 *   APP_LOG(DEBUG, ...)  per-entry or per-packet events; on the fast path only behind
 *                        APP_DEBUG_ON(), so that they cost one test unless enabled at run time
 *                        (--log-level twq.app:debug).
 *
 * Libraries have their own types: twq.lib (lib/twq), twq.tcpseg (lib/tcpseg).
 */

#include <stdio.h>

#include <rte_branch_prediction.h>
#include <rte_log.h>

/** Log type of the application ("twq.app"). */
extern int app_logtype;

/** A message of the application at @p level (an RTE_LOG_ level without the prefix). */
#define APP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, app_logtype, "TWQ: " fmt "\n", ##__VA_ARGS__)

/** Whether DEBUG messages of twq.app are enabled (a load and a compare). */
#define APP_DEBUG_ON() unlikely(rte_log_can_log(app_logtype, RTE_LOG_DEBUG))

/**
 * An error for the operator, at ERR: EAL's log stream puts it on stderr and in syslog (or the
 * journal). When twq.app's level hides ERR it is printed on stderr anyway ("dpdk-twq: ..."),
 * so that what a user typed wrong is always seen.
 */
void app_err(const char *fmt, ...) __rte_format_printf(1, 2);

/** From now on rte_log writes through EAL's stream (stderr and syslog): after rte_eal_init. */
void app_log_eal_ready(void);

#endif /* APP_LOG_H */
