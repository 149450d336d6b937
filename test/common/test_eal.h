/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TEST_EAL_H
#define TEST_EAL_H

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

#endif /* TEST_EAL_H */
