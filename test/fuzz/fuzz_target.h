/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef FUZZ_TARGET_H
#define FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

/* Set up once; 0 on success. */
int fuzz_init(void);
/* Run one input; always 0. Aborts on a broken invariant. */
int fuzz_one(const uint8_t *data, size_t size);

#endif
