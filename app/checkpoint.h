/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_CHECKPOINT_H
#define APP_CHECKPOINT_H

/*
 * The periodic checkpoint ([state] checkpoint_s): every checkpoint_s seconds a control
 * thread of its own (rte_ctrl_thread_create, "twq-ckpt", pinned to the main lcore's CPUs)
 * writes the state file of
 * [state] save with app_state_write(), which holds a shard's lock for one slice at a time.
 * It runs beside the scan of the control lcore, never on a worker. Its counters are
 * ctx->cstats.checkpoint* (stats block, /twq/stats).
 */

#include <stdint.h>

#include "app.h"

/**
 * Start the checkpoint thread, when [state] save is set and checkpoint_s is not 0. Call
 * once the workers run.
 *
 * @return
 *   0 (also when there is nothing to start), or -1 with a message.
 */
int app_checkpoint_start(struct app_ctx *ctx);

/** Stop the thread (a checkpoint under way is finished first) and wait for it. */
void app_checkpoint_stop(void);

#endif /* APP_CHECKPOINT_H */
