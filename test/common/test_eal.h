/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TEST_EAL_H
#define TEST_EAL_H

#include <stdbool.h>

/**
 * Start DPDK's EAL for a test or benchmark without hardware: no hugepages, no PCI, no shared
 * config, no telemetry socket, one lcore, a file prefix unique to the process. The runtime
 * directory EAL makes is removed at exit.
 *
 * @param name
 *   Short name of the program (part of the file prefix).
 * @param mem_mb
 *   Memory to reserve, in MB.
 * @return
 *   0, or -1 with a message on stderr.
 */
int test_eal_init(const char *name, unsigned int mem_mb);

/**
 * As test_eal_init(), with a choice of memory: with @p huge, mem_mb MB of hugepages of the
 * default size (EAL --in-memory: no hugepage files, no shared config) instead of --no-huge's
 * anonymous 4 KiB pages. For benchmarks that compare the two.
 *
 * @param name
 *   Short name of the program (part of the file prefix).
 * @param mem_mb
 *   Memory to reserve, in MB.
 * @param huge
 *   true: hugepages; false: as test_eal_init().
 * @return
 *   0, or -1 with a message on stderr.
 */
int test_eal_init_huge(const char *name, unsigned int mem_mb, bool huge);

#endif /* TEST_EAL_H */
