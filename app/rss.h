/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_RSS_H
#define APP_RSS_H

#include <twq.h>

#include "app.h"

/**
 * The worker (shard) whose RX queue receives a flow: with one worker 0; otherwise the
 * Toeplitz hash (rte_softrss) of the tuple as it arrives (source = the peer) with the first
 * port's key, then that port's redirection table (RSS on, table read), or hash % workers
 * (RSS on but the table could not be read, or [ports] rss = off, where whatever feeds the
 * queues is promised to follow this rule). Ports are all configured with the same key, so
 * they agree unless their redirection tables differ.
 *
 * @param ctx
 *   The application, ports started.
 * @param k
 *   The flow.
 * @return
 *   A worker index below ctx->n_workers.
 */
unsigned int app_flow_worker(const struct app_ctx *ctx, const struct twq_key *k);

#endif /* APP_RSS_H */
