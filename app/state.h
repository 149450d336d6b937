/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_STATE_H
#define APP_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

/** CRC-32C (Castagnoli; init 0xffffffff, final XOR 0xffffffff) of a buffer. */
uint32_t app_crc32c(const void *data, size_t len);

/**
 * Load a state file (docs/state-file.md) into the shards, before the workers run. The
 * whole file is checked first; on any error nothing is loaded.
 *
 * @return
 *   0, or -1 with a message naming what is wrong.
 */
int app_state_load(struct app_ctx *ctx, const char *path);

/**
 * Write every entry to path (through path.tmp, then rename), after the workers stopped.
 *
 * @return
 *   0, or -1 with a message.
 */
int app_state_save(struct app_ctx *ctx, const char *path);

#endif /* APP_STATE_H */
