/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_PORT_H
#define APP_PORT_H

#include "app.h"

/**
 * Find the configured ports by name, create an mbuf pool per NUMA socket, configure and start
 * every port with one RX and one TX queue per worker (RSS when there are several). Prints
 * one line per port. On error prints what is wrong and how to fix it.
 *
 * @return
 *   0, or -1.
 */
int app_ports_setup(struct app_ctx *ctx);

/** Stop and close every port that was set up (errors printed, not returned). */
void app_ports_close(struct app_ctx *ctx);

#endif /* APP_PORT_H */
