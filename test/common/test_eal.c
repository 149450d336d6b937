/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "test_eal.h"

static char runtime_dir[512];

/* Remove what EAL left in its runtime directory, so tests leave no files behind. */
static void
remove_runtime_dir(void)
{
	char cmd[600];

	rte_eal_cleanup();
	if (runtime_dir[0] == '\0' || strstr(runtime_dir, "/dpdk/") == NULL)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", runtime_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", runtime_dir);
}

int
test_eal_init(const char *name, unsigned int mem_mb)
{
	return test_eal_init_huge(name, mem_mb, false);
}

int
test_eal_init_huge(const char *name, unsigned int mem_mb, bool huge)
{
	char prefix[64], mem[16];
	char *argv[] = {
			(char *)(uintptr_t)name,
			/* hugepages: memfd-backed, no files in the hugetlbfs mount to clean up */
			(char *)(uintptr_t)(huge ? "--in-memory" : "--no-huge"),
			(char *)(uintptr_t) "--no-pci",
			(char *)(uintptr_t) "--no-shconf",
			(char *)(uintptr_t) "--no-telemetry",
			(char *)(uintptr_t) "-l",
			(char *)(uintptr_t) "0",
			(char *)(uintptr_t) "--log-level",
			(char *)(uintptr_t) "*:error",
			(char *)(uintptr_t) "-m",
			mem,
			(char *)(uintptr_t) "--file-prefix",
			prefix,
	};

	snprintf(prefix, sizeof(prefix), "%s-%d", name, (int)getpid());
	snprintf(mem, sizeof(mem), "%u", mem_mb);
	if (rte_eal_init((int)RTE_DIM(argv), argv) < 0) {
		fprintf(stderr, "%s: rte_eal_init failed: %s%s\n", name, rte_strerror(rte_errno),
				huge ? " (hugepages: are enough 2 MiB pages reserved, "
				       "/proc/sys/vm/nr_hugepages?)"
				     : "");
		return -1;
	}
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	atexit(remove_runtime_dir);
	return 0;
}
