/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * mk_state: write a large state file (docs/state-file.md, version 2) fast, for
 * bench_load.py. Entries are IPv4, tuples all distinct (local 198.18.0.1:80, peers over
 * 198.18.0.0/15 and ports 1024..65535), remaining_ms drawn at random in [min, max] so that
 * the file is in random deadline order, records shuffled.
 *
 * usage: mk_state FILE COUNT [MIN_MS MAX_MS [SEED]]
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "state_file.h"

/* xorshift64*: reproducible, fast. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* The i-th distinct peer: 131072 addresses of 198.18.0.0/15 times 64512 ports. */
static void
peer(uint64_t i, struct twq_entry_info *e)
{
	uint32_t a = (uint32_t)(i % 131072), port = (uint32_t)(i / 131072);

	e->key.raddr.v4 = rte_cpu_to_be_32((198u << 24 | 18u << 16) + a);
	e->key.rport = (uint16_t)(1024 + port);
}

int
main(int argc, char **argv)
{
	static struct app_state_rec buf[4096];
	uint64_t count, i, j, seed = 1, *order, t;
	uint32_t lo = 1000, hi = 60000, crc = 0xffffffff, trailer;
	struct app_state_hdr hdr;
	struct twq_entry_info e;
	size_t n = 0;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: %s FILE COUNT [MIN_MS MAX_MS [SEED]]\n", argv[0]);
		return 2;
	}
	count = strtoull(argv[2], NULL, 10);
	if (argc >= 5) {
		lo = (uint32_t)strtoul(argv[3], NULL, 10);
		hi = (uint32_t)strtoul(argv[4], NULL, 10);
	}
	if (argc >= 6)
		seed = strtoull(argv[5], NULL, 10) | 1;
	if (count > 131072ull * 64512 || lo == 0 || hi < lo) {
		fprintf(stderr, "mk_state: bad COUNT or MIN_MS/MAX_MS\n");
		return 2;
	}
	order = malloc(count * sizeof(*order));
	f = fopen(argv[1], "wb");
	if (order == NULL || f == NULL) {
		fprintf(stderr, "mk_state: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (i = 0; i < count; i++)
		order[i] = i;
	for (i = count; i > 1; i--) { /* Fisher-Yates */
		j = rnd(&seed) % i;
		t = order[i - 1], order[i - 1] = order[j], order[j] = t;
	}
	memset(&hdr, 0, sizeof(hdr));
	fwrite(&hdr, sizeof(hdr), 1, f);
	memset(&e, 0, sizeof(e));
	e.key.laddr.v4 = rte_cpu_to_be_32(198u << 24 | 18u << 16 | 1);
	e.key.lport = 80;
	for (i = 0; i < count; i++) {
		peer(order[i], &e);
		e.snd_nxt = (uint32_t)rnd(&seed);
		e.rcv_nxt = (uint32_t)rnd(&seed);
		e.last_win = 512;
		e.remaining_ms = lo + (uint32_t)(rnd(&seed) % (hi - lo + 1));
		app_state_rec_encode(&e, &buf[n++]);
		if (n == RTE_DIM(buf) || i + 1 == count) {
			crc = app_crc32c_update(crc, buf, n * sizeof(buf[0]));
			if (fwrite(buf, sizeof(buf[0]), n, f) != n)
				break;
			n = 0;
		}
	}
	app_state_hdr_make(&hdr, count, 0, 0);
	trailer = rte_cpu_to_le_32(app_state_crc_v2(crc, &hdr));
	if (fwrite(&trailer, sizeof(trailer), 1, f) != 1 || fseek(f, 0, SEEK_SET) != 0 ||
			fwrite(&hdr, sizeof(hdr), 1, f) != 1 || fclose(f) != 0) {
		fprintf(stderr, "mk_state: cannot write %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	free(order);
	printf("mk_state: %" PRIu64 " entries, remaining_ms %u..%u, to %s\n", count, lo, hi,
			argv[1]);
	return 0;
}
