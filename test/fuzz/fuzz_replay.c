/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Without libFuzzer (gcc builds): run the fuzz target over every file of the given
 * directories once, so the corpus is a regression test in every build.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_target.h"

static int
run_file(const char *path)
{
	static uint8_t buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fuzz_one(buf, n);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned int files = 0;
	char path[4096];
	int i;

	if (fuzz_init() < 0)
		return EXIT_FAILURE;
	for (i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *de;

		if (d == NULL) {
			perror(argv[i]);
			return EXIT_FAILURE;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (run_file(path) < 0) {
				closedir(d);
				return EXIT_FAILURE;
			}
			files++;
		}
		closedir(d);
	}
	printf("fuzz_replay: %u inputs, no invariant broken\n", files);
	return files > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
