/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_WORKER_H
#define APP_WORKER_H

#include "app.h"

/** What a worker lcore is launched with. */
struct app_worker {
	struct app_ctx *ctx;
	unsigned int index; /**< worker index = RX/TX queue = shard */
};

/**
 * A worker lcore's loop (for rte_eal_remote_launch): poll queue w of every port, run each
 * burst through tcpseg and the shard, send the replies, until the application stops.
 *
 * @param arg
 *   A struct app_worker.
 * @return
 *   0.
 */
int app_worker_main(void *arg);

#endif /* APP_WORKER_H */
