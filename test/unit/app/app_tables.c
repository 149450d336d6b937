/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Prints the tables that the documentation carries, from the application's own lists:
 * "config" (config/README.md: every key and option, app_config_print_tables) or "counters"
 * (docs/operations.md: every counter of the stats block and telemetry,
 * app_stats_print_table). check_tables.py compares them with the files.
 */

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "stats.h"

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "config") == 0)
		app_config_print_tables(stdout);
	else if (argc == 2 && strcmp(argv[1], "counters") == 0)
		app_stats_print_table(stdout);
	else {
		fprintf(stderr, "usage: %s config|counters\n", argc > 0 ? argv[0] : "app_tables");
		return 2;
	}
	return 0;
}
