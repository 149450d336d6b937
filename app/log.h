/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_LOG_H
#define APP_LOG_H

#include <stdio.h>

#include <rte_log.h>

/** Log type of the application ("twq.app"), registered in main.c. */
extern int app_logtype;

/** Runtime events (EAL log: stdout and syslog). */
#define APP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, app_logtype, "twq: " fmt "\n", ##__VA_ARGS__)

/** A start-up or shutdown error for the operator, on stderr. */
#define app_err(fmt, ...) fprintf(stderr, "dpdk-twq: " fmt "\n", ##__VA_ARGS__)

#endif /* APP_LOG_H */
