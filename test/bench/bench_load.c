/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * bench_load: how long loading saved TIME_WAIT state takes (issue 10, "Loading at scale":
 * 10M entries in random order in under 10 s).
 *
 *   bench_load [--entries N] [--order random|descending|ascending|two] [--single]
 *              [--msl-ms M] [--seed S]
 *
 * Makes an IPv4 shard of capacity N and restores N entries into it through
 * twq_restore_begin / twq_restore / twq_restore_end, as dpdk-twq loads a state file. The
 * remaining times (1 .. 2MSL, whole milliseconds like the file's) come in the order asked:
 * random (uniform, the default), descending, ascending, or two ascending runs interleaved (a
 * file saved by two workers and loaded by one). --single restores each entry outside a
 * batch instead (one ring insertion per entry, walking from the newest: the way every load
 * went before batches; quadratic in the random and descending orders, so use small N).
 *
 * Printed: the restore loop (hash, index insertion, the records written) and twq_restore_end
 * (sort and merge onto the ring) separately, their sum in seconds and in ns per entry. The
 * remaining times are made before the clock starts; the keys are derived from the index in
 * the loop (a few ns). After the clock stops, the shard is checked: N entries, the ring in
 * deadline order (twq_foreach), expiry of everything at 2MSL.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <twq.h>

#include "test_eal.h"

#include "bench_perm.h"

#define LADDR 0xc6336401u /* 198.51.100.1 (TEST-NET-2); nothing is ever sent */
#define LPORT 443
#define T0    1000000u

enum order { ORDER_RANDOM, ORDER_DESC, ORDER_ASC, ORDER_TWO };

static const char *const order_names[] = {"random", "descending", "ascending", "two"};

struct config {
	uint32_t entries;
	enum order order;
	bool single;
	bool prefault;
	uint32_t msl_ms;
	uint64_t seed;
};

/* Saved entry i: the peer in 198.18.0.0/15 (17 bits) and a port (15 bits). */
static inline void
info_of(uint32_t i, uint32_t remaining, struct twq_entry_info *e)
{
	uint32_t x = perm32(i);

	memset(&e->key, 0, sizeof(e->key));
	e->key.laddr.v4 = rte_cpu_to_be_32(LADDR);
	e->key.raddr.v4 = rte_cpu_to_be_32(0xc6120000u | (x & 0x1ffffu));
	e->key.lport = LPORT;
	e->key.rport = (uint16_t)(1024u + (x >> 17));
	e->snd_nxt = perm32(i ^ 0x55555555u);
	e->rcv_nxt = perm32(i ^ 0xaaaaaaaau);
	e->t_recent = 1000000u + i;
	e->ts_offset = perm32(i + 7u);
	e->remaining_ms = remaining;
	e->last_win = 65535;
	e->has_ts = 1;
}

/* splitmix64: the same sequence for the same seed. */
static inline uint64_t
rng(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The remaining time of every entry, in restore order. */
static void
remaining_make(const struct config *cfg, uint32_t *rem)
{
	const uint64_t two_msl = 2ull * cfg->msl_ms, n = cfg->entries;
	uint64_t st = cfg->seed, i;

	for (i = 0; i < n; i++) {
		uint64_t r;

		switch (cfg->order) {
		case ORDER_DESC:
			r = two_msl - i * two_msl / n;
			break;
		case ORDER_ASC:
			r = 1 + i * two_msl / n;
			break;
		case ORDER_TWO: /* even positions: one run, odd positions: another */
			r = 1 + (i / 2) * two_msl / ((n + 1) / 2);
			break;
		default:
			r = 1 + rng(&st) % two_msl;
			break;
		}
		rem[i] = (uint32_t)RTE_MIN(r, two_msl);
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct ring_check {
	uint32_t last;
	uint64_t n;
	uint64_t out_of_order;
};

static int
ring_check_cb(const struct twq_entry_info *info, void *arg)
{
	struct ring_check *c = arg;

	if (c->n != 0 && info->remaining_ms < c->last)
		c->out_of_order++;
	c->last = info->remaining_ms;
	c->n++;
	return 0;
}

/* Restore every entry; returns the number of TWQ_RESTORED, and the times in *t_loop, *t_end. */
static uint64_t
load(struct twq_shard *s, const struct config *cfg, const uint32_t *rem, double *t_loop,
		double *t_end)
{
	struct twq_entry_info e;
	uint64_t restored = 0;
	double t0, t1, t2;
	uint32_t i;

	t0 = now_s();
	if (!cfg->single)
		twq_restore_begin(s);
	for (i = 0; i < cfg->entries; i++) {
		info_of(i, rem[i], &e);
		restored += twq_restore(s, &e, T0, NULL) == TWQ_RESTORED;
	}
	t1 = now_s();
	if (!cfg->single)
		twq_restore_end(s);
	t2 = now_s();
	*t_loop = t1 - t0;
	*t_end = t2 - t1;
	return restored;
}

static int
check(struct twq_shard *s, const struct config *cfg, uint64_t restored)
{
	struct ring_check c = {0};
	uint32_t expired;

	twq_foreach(s, T0, ring_check_cb, &c);
	printf("check: %" PRIu64 " restored, %u in the shard, %" PRIu64 " on the ring, %" PRIu64
	       " out of deadline order\n",
			restored, twq_shard_count(s, 0), c.n, c.out_of_order);
	expired = twq_expire(s, T0 + 2ull * cfg->msl_ms, UINT32_MAX);
	printf("check: %u expired at 2MSL, %u left\n", expired, twq_shard_count(s, -1));
	if (restored != cfg->entries || c.n != cfg->entries || c.out_of_order != 0 ||
			expired != cfg->entries || twq_shard_count(s, -1) != 0) {
		fprintf(stderr, "bench_load: the loaded shard is wrong\n");
		return -1;
	}
	return 0;
}

/*
 * Touch the whole DPDK heap once, so that the shard's pages are mapped before the clock
 * starts (with --no-huge, EAL memory is mapped on first touch).
 */
static void
heap_prefault(void)
{
	struct rte_malloc_socket_stats st;
	void *p;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) < 0)
		return;
	p = rte_malloc_socket("prefault", st.greatest_free_size - 4096, 0, (int)rte_socket_id());
	if (p == NULL)
		return;
	memset(p, 0, st.greatest_free_size - 4096);
	rte_free(p);
}

static void
usage(void)
{
	fprintf(stderr,
			"usage: bench_load [--entries N] [--order random|descending|ascending|two] "
			"[--single] [--msl-ms M] [--seed S]\n");
}

static int
parse_u64(const char *arg, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
parse_args(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
			{"entries", required_argument, NULL, 'n'},
			{"order", required_argument, NULL, 'o'},
			{"single", no_argument, NULL, '1'},
			{"prefault", no_argument, NULL, 'p'},
			{"msl-ms", required_argument, NULL, 'm'},
			{"seed", required_argument, NULL, 's'},
			{NULL, 0, NULL, 0},
	};
	uint64_t v;
	unsigned int i;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u64(optarg, 1, TWQ_CAPACITY_MAX, &v) < 0) {
				fprintf(stderr, "bench_load: bad --entries '%s' (1 to %u)\n",
						optarg, TWQ_CAPACITY_MAX);
				return -1;
			}
			cfg->entries = (uint32_t)v;
			break;
		case 'o':
			for (i = 0; i < RTE_DIM(order_names); i++)
				if (strcmp(optarg, order_names[i]) == 0)
					break;
			if (i == RTE_DIM(order_names)) {
				fprintf(stderr, "bench_load: bad --order '%s'\n", optarg);
				return -1;
			}
			cfg->order = (enum order)i;
			break;
		case '1':
			cfg->single = true;
			break;
		case 'p':
			cfg->prefault = true;
			break;
		case 'm':
			if (parse_u64(optarg, 1, TWQ_MSL_MAX_MS, &v) < 0) {
				fprintf(stderr, "bench_load: bad --msl-ms '%s' (1 to %u)\n", optarg,
						TWQ_MSL_MAX_MS);
				return -1;
			}
			cfg->msl_ms = (uint32_t)v;
			break;
		case 's':
			if (parse_u64(optarg, 0, UINT64_MAX, &v) < 0) {
				fprintf(stderr, "bench_load: bad --seed '%s'\n", optarg);
				return -1;
			}
			cfg->seed = v;
			break;
		default:
			return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct config cfg = {
			.entries = 1000000,
			.order = ORDER_RANDOM,
			.msl_ms = 30000,
			.seed = 1,
	};
	struct twq_params p = {
			.name = "bench_load",
			.socket_id = SOCKET_ID_ANY,
	};
	double t_loop, t_end, total;
	struct twq_shard *s;
	uint64_t restored;
	unsigned int mem_mb;
	uint32_t *rem;
	int rc;

	if (parse_args(argc, argv, &cfg) < 0) {
		usage();
		return 2;
	}
	mem_mb = 128 + (unsigned int)(twq_shard_memory_needed(cfg.entries, 0) >> 20);
	if (test_eal_init("bench_load", mem_mb) < 0)
		return 1;
	if (cfg.prefault)
		heap_prefault();
	rem = malloc((size_t)cfg.entries * sizeof(*rem));
	p.capacity = cfg.entries;
	p.capacity6 = 0;
	p.msl_ms = cfg.msl_ms;
	s = twq_shard_create(&p);
	if (rem == NULL || s == NULL) {
		fprintf(stderr, "bench_load: out of memory for %u entries (EAL -m %u): %s\n",
				cfg.entries, mem_mb, rte_strerror(rte_errno));
		free(rem);
		return 1;
	}
	remaining_make(&cfg, rem);
	printf("bench_load: %u IPv4 entries, order %s, %s, 2MSL %u ms, shard %.1f MB "
	       "(EAL -m %u, --no-huge)\n",
			cfg.entries, order_names[cfg.order],
			cfg.single ? "one twq_restore per entry outside a batch"
				   : "one batch (twq_restore_begin/end)",
			2 * cfg.msl_ms, (double)twq_shard_memory(s) / 1e6, mem_mb);
	restored = load(s, &cfg, rem, &t_loop, &t_end);
	total = t_loop + t_end;
	printf("restore loop  %8.3f s  %8.1f ns/entry\n", t_loop, t_loop * 1e9 / cfg.entries);
	printf("restore_end   %8.3f s  %8.1f ns/entry (sort and merge onto the ring)\n", t_end,
			t_end * 1e9 / cfg.entries);
	printf("total         %8.3f s  %8.1f ns/entry\n", total, total * 1e9 / cfg.entries);
	rc = check(s, &cfg, restored);
	twq_shard_free(s);
	free(rem);
	return rc < 0 ? 1 : 0;
}
