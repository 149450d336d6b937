/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The shard: capacity floor, recycling the oldest (tcp_tw_2msl_scan(1)), expiry in order
 * (tcp_tw_2msl_scan(0)), re-arming to the tail (tcp_tw_2msl_reset), close (tcp_twclose),
 * nolocaltimewait, restore and foreach, parameters, memory, and a randomised model check.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "test_eal.h"
#include "twq_pvt.h"
#include "twq_test_util.h"

#define MSL 30000u
#define T0  5000u

static void
start(struct twq_shard *s, const struct twq_key *k, uint64_t now)
{
	struct twq_conn c;

	tu_conn(&c, k, 100, 200);
	assert_int_equal(twq_start(s, &c, now, NULL), TWQ_START_OK);
}

/* The seed's floor: capacities below 32 become 32. */
static void
test_capacity_floor(void **state)
{
	struct twq_shard *s = tu_shard(0, 0);
	struct twq_key k;
	uint32_t i;

	(void)state;
	assert_int_equal(twq_shard_params(s)->capacity, TWQ_CAPACITY_MIN);
	assert_int_equal(twq_shard_params(s)->capacity6, TWQ_CAPACITY_MIN);
	for (i = 0; i < 32; i++) {
		tu_key4(&k, i);
		start(s, &k, T0 + i);
	}
	assert_int_equal(twq_shard_count(s, 0), 32);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RECYCLED), 0);
	tu_key4(&k, 32);
	start(s, &k, T0 + 32);
	assert_int_equal(twq_shard_count(s, 0), 32);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RECYCLED), 1);
	twq_shard_free(s);
}

/* Full: the oldest entry of the family is recycled, newer ones and the other family stay. */
static void
test_recycle_oldest(void **state)
{
	struct twq_shard *s = tu_shard(40, 0);
	struct twq_key k;
	uint32_t i;

	(void)state;
	tu_key6(&k, 0);
	start(s, &k, T0); /* oldest of all, but IPv6 */
	for (i = 0; i < 40; i++) {
		tu_key4(&k, i);
		start(s, &k, T0 + 1 + i);
	}
	/* A FIN re-arm makes entry 0 the newest: entry 1 is then the oldest. */
	{
		struct tcpseg_view v;
		struct tcpseg_reply r;

		tu_key4(&k, 0);
		tu_seg(&v, &k, TCPSEG_FIN | TCPSEG_ACK, 199, 100, 0);
		assert_int_equal(twq_input(s, twq_lookup(s, &k), &v, T0 + 100, &r), TWQ_ACK);
	}
	for (i = 40; i < 43; i++) {
		tu_key4(&k, i);
		start(s, &k, T0 + 200 + i);
	}
	assert_int_equal(tu_ctr(s, TWQ_CTR_RECYCLED), 3);
	for (i = 0; i < 43; i++) {
		tu_key4(&k, i);
		if (i >= 1 && i <= 3)
			assert_int_equal(twq_lookup(s, &k), TWQ_ID_NONE);
		else
			assert_int_not_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	}
	tu_key6(&k, 0);
	assert_int_not_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	tu_check_balance(s);
	twq_shard_free(s);
}

/* Expiry pops the oldest first, only what is due, within the budget. */
static void
test_expire_order(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_key k;
	uint32_t i;

	(void)state;
	assert_int_equal(twq_next_due_ms(s, T0), UINT32_MAX);
	for (i = 0; i < 10; i++) {
		tu_key4(&k, i);
		start(s, &k, T0 + 10 * i);
		tu_key6(&k, i);
		start(s, &k, T0 + 10 * i + 5);
	}
	assert_int_equal(twq_next_due_ms(s, T0), 2 * MSL);
	/* Nothing due one ms before the first deadline. */
	assert_int_equal(twq_expire(s, T0 + 2 * MSL - 1, 100), 0);
	assert_int_equal(twq_next_due_ms(s, T0 + 2 * MSL - 1), 1);
	/*
	 * At +2MSL+24: IPv4 0,1,2 (+0, +10, +20) and IPv6 0,1 (+5, +15) are due. With a budget
	 * of 3 the oldest three across both families go: IPv4 0, IPv6 0, IPv4 1.
	 */
	assert_int_equal(twq_expire(s, T0 + 2 * MSL + 24, 3), 3);
	tu_key6(&k, 1);
	assert_int_not_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	tu_key4(&k, 2);
	assert_int_not_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	tu_key4(&k, 1);
	assert_int_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	assert_int_equal(twq_next_due_ms(s, T0 + 2 * MSL + 24), 0);
	assert_int_equal(twq_expire(s, T0 + 2 * MSL + 24, 100), 2);
	assert_int_equal(twq_next_due_ms(s, T0 + 2 * MSL + 24), 1);
	for (i = 0; i < 10; i++) {
		tu_key4(&k, i);
		assert_int_equal(twq_lookup(s, &k) == TWQ_ID_NONE, i <= 2);
		tu_key6(&k, i);
		assert_int_equal(twq_lookup(s, &k) == TWQ_ID_NONE, i <= 1);
	}
	assert_int_equal(tu_ctr(s, TWQ_CTR_EXPIRED), 5);
	assert_int_equal(twq_expire(s, T0 + 10 * 2 * MSL, 1000), 15);
	assert_int_equal(twq_shard_count(s, -1), 0);
	tu_check_balance(s);
	twq_shard_free(s);
}

struct order {
	uint32_t n;
	uint16_t rport[64];
	uint32_t remaining[64];
};

static int
collect(const struct twq_entry_info *info, void *arg)
{
	struct order *o = arg;

	o->rport[o->n] = info->key.rport;
	o->remaining[o->n] = info->remaining_ms;
	o->n++;
	return 0;
}

/* A duplicate FIN moves the entry to the ring's tail with a fresh 2MSL. */
static void
test_rearm_moves_to_tail(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_view v;
	struct tcpseg_reply r;
	struct order o = {0};
	struct twq_key a, b, c;

	(void)state;
	tu_key4(&a, 1);
	tu_key4(&b, 2);
	tu_key4(&c, 3);
	start(s, &a, T0);
	start(s, &b, T0 + 10);
	start(s, &c, T0 + 20);
	tu_seg(&v, &a, TCPSEG_FIN | TCPSEG_ACK, 199, 100, 0);
	assert_int_equal(twq_input(s, twq_lookup(s, &a), &v, T0 + 30, &r), TWQ_ACK);
	assert_int_equal(twq_foreach(s, T0 + 30, collect, &o), 0);
	assert_int_equal(o.n, 3);
	assert_int_equal(o.rport[0], b.rport);
	assert_int_equal(o.rport[1], c.rport);
	assert_int_equal(o.rport[2], a.rport);
	assert_int_equal(o.remaining[2], 2 * MSL);
	/* b and c expire, a (re-armed) stays. */
	assert_int_equal(twq_expire(s, T0 + 2 * MSL + 20, 10), 2);
	assert_int_not_equal(twq_lookup(s, &a), TWQ_ID_NONE);
	assert_int_equal(twq_expire(s, T0 + 30 + 2 * MSL, 10), 1);
	twq_shard_free(s);
}

/* Deadlines are kept modulo 2^32 ms: expiry works across the wrap of the clock's low bits. */
static void
test_clock_wrap(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	const uint64_t t = 0xffffff00ull;
	struct twq_key k;

	(void)state;
	tu_key4(&k, 1);
	start(s, &k, t);
	assert_int_equal(twq_expire(s, t + 2 * MSL - 1, 10), 0);
	assert_int_equal(twq_next_due_ms(s, t + 2 * MSL - 1), 1);
	assert_int_equal(twq_expire(s, t + 2 * MSL, 10), 1);
	twq_shard_free(s);
}

/* nolocaltimewait: peers inside a local prefix get no entry. */
static void
test_nolocaltimewait(void **state)
{
	struct twq_params p = {
			.socket_id = SOCKET_ID_ANY,
			.capacity = 32,
			.capacity6 = 32,
			.msl_ms = MSL,
			.n_local = 2,
	};
	struct twq_shard *s;
	struct twq_conn c;
	struct twq_key k;

	(void)state;
	p.local[0].addr.v4 = rte_cpu_to_be_32(0xc6130000); /* 198.19.0.0/16 */
	p.local[0].len = 16;
	p.local[1].is_ipv6 = 1; /* 2001:db8:1::/48 */
	p.local[1].len = 48;
	memcpy(p.local[1].addr.v6, "\x20\x01\x0d\xb8\x00\x01", 6);
	s = tu_shard_p(&p);
	tu_key4(&k, 1); /* peer 198.19.0.0 */
	tu_conn(&c, &k, 1, 2);
	assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_LOCAL);
	assert_int_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	tu_key6(&k, 1); /* peer 2001:db8:1::1 */
	c.key = k;
	assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_LOCAL);
	k.raddr.v6[5] = 2; /* 2001:db8:2::1: not local */
	c.key = k;
	assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_OK);
	tu_key4(&k, 1);
	k.raddr.v4 = rte_cpu_to_be_32(0xc6140001); /* 198.20.0.1: not local */
	c.key = k;
	assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_OK);
	assert_int_equal(tu_ctr(s, TWQ_CTR_START_LOCAL), 2);
	assert_int_equal(twq_shard_count(s, -1), 2);
	twq_shard_free(s);
}

static void
test_prefix_match(void **state)
{
	struct twq_prefix p = {.len = 13};
	union tcpseg_addr a = {0};

	(void)state;
	p.addr.v4 = rte_cpu_to_be_32(0xc6100000); /* 198.16.0.0/13 */
	a.v4 = rte_cpu_to_be_32(0xc617ffff);      /* 198.23.255.255: in */
	assert_true(twq_prefix_match(&p, 0, &a));
	a.v4 = rte_cpu_to_be_32(0xc6180000); /* 198.24.0.0: out */
	assert_false(twq_prefix_match(&p, 0, &a));
	assert_false(twq_prefix_match(&p, 1, &a)); /* family differs */
	p.len = 0;
	assert_true(twq_prefix_match(&p, 0, &a));
	p.len = 32;
	a.v4 = p.addr.v4;
	assert_true(twq_prefix_match(&p, 0, &a));
	a.v4 ^= rte_cpu_to_be_32(1);
	assert_false(twq_prefix_match(&p, 0, &a));

	memset(&p, 0, sizeof(p));
	memset(&a, 0, sizeof(a));
	p.is_ipv6 = 1;
	p.len = 35; /* 2001:db8:e000::/35 */
	memcpy(p.addr.v6, "\x20\x01\x0d\xb8\xe0", 5);
	memcpy(a.v6, "\x20\x01\x0d\xb8\xff", 5);
	assert_true(twq_prefix_match(&p, 1, &a));
	a.v6[4] = 0xc0;
	assert_false(twq_prefix_match(&p, 1, &a));
	p.len = 128;
	memcpy(a.v6, p.addr.v6, 16);
	assert_true(twq_prefix_match(&p, 1, &a));
	a.v6[15] = 1;
	assert_false(twq_prefix_match(&p, 1, &a));
}

/* Restore: deadlines from remaining_ms (cut to 2MSL), ring kept in order, replace, skip 0. */
static void
test_restore_and_foreach(void **state)
{
	static const uint32_t remaining[] = {500, 100, 2 * MSL + 999, 300, 100};
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info, got;
	struct order o = {0};
	struct twq_key k;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(remaining); i++) {
		memset(&info, 0, sizeof(info));
		tu_key4(&info.key, i);
		info.snd_nxt = 1000 + i;
		info.rcv_nxt = 2000 + i;
		info.last_win = 300;
		info.has_ts = i & 1;
		info.t_recent = 77;
		info.ts_offset = 88;
		info.remaining_ms = remaining[i];
		assert_int_equal(twq_restore(s, &info, T0, NULL), TWQ_RESTORED);
	}
	info.remaining_ms = 0;
	tu_key4(&info.key, 50);
	assert_int_equal(twq_restore(s, &info, T0, NULL), TWQ_RESTORE_EXPIRED);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RESTORED), 5);

	assert_int_equal(twq_foreach(s, T0, collect, &o), 0);
	assert_int_equal(o.n, 5);
	for (i = 1; i < o.n; i++)
		assert_true(o.remaining[i - 1] <= o.remaining[i]);
	assert_int_equal(o.remaining[4], 2 * MSL);

	tu_key4(&k, 3);
	assert_int_equal(twq_entry_get(s, twq_lookup(s, &k), T0 + 100, &got), 0);
	assert_int_equal(got.snd_nxt, 1003);
	assert_int_equal(got.rcv_nxt, 2003);
	assert_int_equal(got.last_win, 300);
	assert_int_equal(got.has_ts, 1);
	assert_int_equal(got.t_recent, 77);
	assert_int_equal(got.ts_offset, 88);
	assert_int_equal(got.remaining_ms, 200);
	assert_memory_equal(&got.key, &k, sizeof(k));
	tu_key4(&k, 0);
	assert_int_equal(twq_entry_get(s, twq_lookup(s, &k), T0, &got), 0);
	assert_int_equal(got.has_ts, 0);
	assert_int_equal(got.t_recent, 0);

	/* Expiry follows the restored deadlines. */
	assert_int_equal(twq_expire(s, T0 + 100, 10), 2);
	assert_int_equal(twq_expire(s, T0 + 300, 10), 1);
	tu_check_balance(s);
	twq_shard_free(s);
}

static int
stop_at_two(const struct twq_entry_info *info, void *arg)
{
	int *n = arg;

	(void)info;
	return ++*n == 2 ? 42 : 0;
}

static void
test_foreach_stops(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_key k;
	int n = 0;

	(void)state;
	for (uint32_t i = 0; i < 5; i++) {
		tu_key6(&k, i);
		start(s, &k, T0);
	}
	assert_int_equal(twq_foreach(s, T0, stop_at_two, &n), 42);
	assert_int_equal(n, 2);
	twq_shard_free(s);
}

static void
test_params_invalid(void **state)
{
	struct twq_params ok = {
			.name = "bad",
			.socket_id = SOCKET_ID_ANY,
			.capacity = 32,
			.capacity6 = 32,
			.msl_ms = MSL,
	};
	struct twq_params p;

	(void)state;
	p = ok;
	p.msl_ms = 0;
	assert_null(twq_shard_create(&p));
	assert_int_equal(rte_errno, EINVAL);
	p = ok;
	p.msl_ms = TWQ_MSL_MAX_MS + 1;
	assert_null(twq_shard_create(&p));
	p = ok;
	p.capacity = TWQ_CAPACITY_MAX + 1;
	assert_null(twq_shard_create(&p));
	p = ok;
	p.ack_limit = 1;
	assert_null(twq_shard_create(&p));
	p = ok;
	p.ack_limit = 256;
	p.ack_interval_ms = 1;
	assert_null(twq_shard_create(&p));
	p = ok;
	p.n_local = TWQ_MAX_LOCAL_PREFIXES + 1;
	assert_null(twq_shard_create(&p));
	p = ok;
	p.n_local = 1;
	p.local[0].len = 33;
	assert_null(twq_shard_create(&p));
	assert_null(twq_shard_create(NULL));
	twq_shard_free(NULL);
}

/* All-in bytes per IPv4 entry: pool + index + ring (+ the IPv6 floor and the shard), <= 64. */
static void
test_memory_per_entry(void **state)
{
	const uint32_t caps[] = {1000, 1u << 20, 1000000, 8000000};
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(caps); i++)
		assert_true(twq_shard_memory_needed(caps[i], 0) <= (size_t)caps[i] * 64);
	{
		struct twq_shard *s = tu_shard(1000, 0);

		assert_int_equal(twq_shard_memory(s), twq_shard_memory_needed(1000, 1000));
		twq_shard_free(s);
	}
}

/* Sum of used slots and of overflow counts over a family's buckets. */
static void
bucket_census(const struct twq_fam *f, uint32_t *used, uint32_t *overflow)
{
	uint32_t b, i;

	*used = 0;
	*overflow = 0;
	for (b = 0; b < f->n_buckets; b++) {
		for (i = 0; i < TWQ_BUCKET_SLOTS; i++)
			*used += f->buckets[b].tag[i] != 0;
		*overflow += f->buckets[b].overflow;
	}
}

/*
 * The index recomputed from what it holds: every used slot names a live entry whose hash has
 * that tag; each bucket's overflow count equals the number of stored keys whose walk from
 * their home bucket passes it; used slots equal the family's count.
 */
static void
bucket_check(const struct twq_shard *s, const struct twq_fam *f)
{
	static uint32_t want[1u << 16];
	uint32_t b, i, used = 0;

	assert_true(f->n_buckets <= RTE_DIM(want));
	memset(want, 0, f->n_buckets * sizeof(want[0]));
	for (b = 0; b < f->n_buckets; b++) {
		for (i = 0; i < TWQ_BUCKET_SLOTS; i++) {
			const struct twq_bucket *bk = &f->buckets[b];
			struct twq_entry_info info;
			uint32_t hash, h;

			if (bk->tag[i] == 0)
				continue;
			used++;
			assert_int_equal(twq_entry_get(s, f->id_base + bk->idx[i], 0, &info), 0);
			hash = twq_hash_key(s, &info.key);
			assert_int_equal(bk->tag[i], twq_tag(hash));
			for (h = twq_home(f, hash); h != b; h = twq_next_bucket(f, h))
				want[h]++;
		}
	}
	assert_int_equal(used, f->count);
	for (b = 0; b < f->n_buckets; b++)
		assert_int_equal(f->buckets[b].overflow, want[b]);
}

/* A key of the given home bucket, from candidate numbers *cand on. */
static void
key_homed(const struct twq_shard *s, const struct twq_fam *f, uint32_t home, uint32_t *cand,
		struct twq_key *k)
{
	for (;; (*cand)++) {
		tu_key4(k, *cand);
		if (twq_home(f, twq_hash_key(s, k)) == home) {
			(*cand)++;
			return;
		}
	}
}

/*
 * Keys chosen so that 25 share one home bucket (the last one, so probing wraps to bucket 0):
 * 10 stay home, 15 spill into the next buckets. All are found, by single and burst lookup;
 * removing them in any order brings every overflow count back to 0.
 */
static void
test_bucket_overflow(void **state)
{
	enum { N = 25 };
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_fam *f = &s->fam[0];
	struct twq_key keys[N];
	uint32_t ids[N], n = 0, cand, used, overflow, home = f->n_buckets - 1, i;

	(void)state;
	for (cand = 0; n < N; cand++) {
		tu_key4(&keys[n], cand);
		if (twq_home(f, twq_hash_key(s, &keys[n])) == home)
			n++;
	}
	for (i = 0; i < N; i++)
		start(s, &keys[i], T0 + i);
	bucket_census(f, &used, &overflow);
	assert_int_equal(used, N);
	assert_true(overflow >= N - TWQ_BUCKET_SLOTS);
	assert_int_equal(f->buckets[home].overflow, N - TWQ_BUCKET_SLOTS);
	for (i = 0; i < N; i++)
		assert_int_not_equal(twq_lookup(s, &keys[i]), TWQ_ID_NONE);
	twq_lookup_burst(s, keys, N, ids);
	for (i = 0; i < N; i++)
		assert_int_equal(ids[i], twq_lookup(s, &keys[i]));
	/* A key homed there but absent walks the overflowed buckets and misses. */
	{
		struct twq_key absent;

		for (cand = 1000000;; cand++) {
			tu_key4(&absent, cand);
			if (twq_home(f, twq_hash_key(s, &absent)) == home)
				break;
		}
		assert_int_equal(twq_lookup(s, &absent), TWQ_ID_NONE);
	}
	/* Remove from the middle, then the rest: close, expire. */
	for (i = 0; i < N; i += 3)
		assert_int_equal(twq_close(s, twq_lookup(s, &keys[i])), 0);
	for (i = 0; i < N; i++)
		assert_int_equal(twq_lookup(s, &keys[i]) == TWQ_ID_NONE, i % 3 == 0);
	assert_int_equal(twq_expire(s, T0 + 2 * MSL + N, 100), N - 9);
	bucket_census(f, &used, &overflow);
	assert_int_equal(used, 0);
	assert_int_equal(overflow, 0);
	tu_check_balance(s);
	twq_shard_free(s);
}

/*
 * Every bucket overflowed at once: for each bucket in turn, keys homed there are started
 * until one spills into the next bucket, then the ones that stayed home are closed. Each
 * bucket is left holding one spilled key and an overflow count of 1, so no walk ends early:
 * a lookup for an absent key must still end (after one lap) and miss, and every present key
 * must be found.
 */
static void
test_bucket_full_lap(void **state)
{
	struct twq_shard *s = tu_shard(32, 0);
	struct twq_fam *f = &s->fam[0];
	struct twq_key stay[TWQ_BUCKET_SLOTS + 1], spilled[64], absent;
	uint32_t b, i, n, cand = 0, ids[2];

	(void)state;
	assert_true(f->n_buckets <= RTE_DIM(spilled));
	for (b = 0; b < f->n_buckets; b++) {
		for (n = 0; f->buckets[b].overflow == 0; n++) {
			assert_true(n <= TWQ_BUCKET_SLOTS);
			key_homed(s, f, b, &cand, &stay[n]);
			start(s, &stay[n], T0 + b);
		}
		spilled[b] = stay[n - 1];
		for (i = 0; i + 1 < n; i++)
			assert_int_equal(twq_close(s, twq_lookup(s, &stay[i])), 0);
		bucket_check(s, f);
	}
	for (b = 0; b < f->n_buckets; b++)
		assert_int_equal(f->buckets[b].overflow, 1);
	assert_int_equal(twq_shard_count(s, 0), f->n_buckets);

	key_homed(s, f, 0, &cand, &absent);
	assert_int_equal(twq_lookup(s, &absent), TWQ_ID_NONE);
	ids[0] = 0;
	twq_lookup_burst(s, &absent, 1, ids);
	assert_int_equal(ids[0], TWQ_ID_NONE);
	for (b = 0; b < f->n_buckets; b++) {
		twq_lookup_burst(s, &spilled[b], 1, &ids[1]);
		assert_int_not_equal(ids[1], TWQ_ID_NONE);
		assert_int_equal(ids[1], twq_lookup(s, &spilled[b]));
	}
	/* Expiry empties the index and brings every count back to 0. */
	assert_int_equal(twq_expire(s, T0 + 2 * MSL + f->n_buckets, 100), f->n_buckets);
	bucket_check(s, f);
	for (b = 0; b < f->n_buckets; b++)
		assert_int_equal(f->buckets[b].overflow, 0);
	tu_check_balance(s);
	twq_shard_free(s);
}

static void
test_counter_names(void **state)
{
	unsigned int i, j;

	(void)state;
	for (i = 0; i < TWQ_CTR_MAX; i++) {
		assert_non_null(twq_counter_name(i));
		assert_true(strlen(twq_counter_desc(i)) > 5);
		for (j = 0; j < i; j++)
			assert_string_not_equal(twq_counter_name(i), twq_counter_name(j));
	}
	assert_string_equal(twq_counter_name(TWQ_CTR_FIN_REARM), "fin_rearm");
	assert_string_equal(twq_counter_name(TWQ_CTR_MAX), "unknown");
}

/*
 * Randomised model check: start, close, input (SYN reopen), expire and restore against a
 * plain array that says which keys must be present; the index, rings and counters must agree
 * at every step.
 */
static void
test_model(void **state)
{
	enum { KEYS = 300, STEPS = 20000, CAP = 128 };
	static uint32_t deadline[2][KEYS]; /* 0: absent */
	static uint32_t order[2][KEYS];    /* when it went on the ring */
	struct twq_shard *s = tu_shard(CAP, 0);
	uint64_t now = T0;
	unsigned int step, i;

	(void)state;
	srand(7);
	memset(deadline, 0, sizeof(deadline));
	for (step = 0; step < STEPS; step++) {
		unsigned int fam = rand() & 1, n = (unsigned int)rand() % KEYS;
		struct twq_key k;
		uint32_t id;

		if (fam)
			tu_key6(&k, n);
		else
			tu_key4(&k, n);
		now += (unsigned int)rand() % 50;
		switch (rand() % 4) {
		case 0:
		case 1: {
			uint32_t oldest = UINT32_MAX, oi = 0, live = 0;

			if (deadline[fam][n] == 0) {
				for (i = 0; i < KEYS; i++) {
					if (deadline[fam][i] == 0)
						continue;
					live++;
					if (order[fam][i] < oldest) {
						oldest = order[fam][i];
						oi = i;
					}
				}
				if (live == CAP)
					deadline[fam][oi] = 0; /* recycled */
			}
			start(s, &k, now);
			deadline[fam][n] = (uint32_t)now + 2 * MSL;
			order[fam][n] = step;
			break;
		}
		case 2:
			id = twq_lookup(s, &k);
			assert_int_equal(id != TWQ_ID_NONE, deadline[fam][n] != 0);
			if (id != TWQ_ID_NONE) {
				assert_int_equal(twq_close(s, id), 0);
				deadline[fam][n] = 0;
			}
			break;
		default:
			twq_expire(s, now, 1000);
			for (i = 0; i < KEYS; i++) {
				if (deadline[0][i] != 0 && deadline[0][i] <= now)
					deadline[0][i] = 0;
				if (deadline[1][i] != 0 && deadline[1][i] <= now)
					deadline[1][i] = 0;
			}
			break;
		}
		if (step % 1000 == 0) {
			uint32_t live = 0;

			for (i = 0; i < KEYS; i++) {
				tu_key4(&k, i);
				assert_int_equal(twq_lookup(s, &k) != TWQ_ID_NONE,
						deadline[0][i] != 0);
				tu_key6(&k, i);
				assert_int_equal(twq_lookup(s, &k) != TWQ_ID_NONE,
						deadline[1][i] != 0);
				live += (deadline[0][i] != 0) + (deadline[1][i] != 0);
			}
			assert_int_equal(twq_shard_count(s, -1), live);
			tu_check_balance(s);
			for (i = 0; i < 2; i++)
				bucket_check(s, &s->fam[i]);
		}
	}
	twq_shard_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_capacity_floor),
			cmocka_unit_test(test_recycle_oldest),
			cmocka_unit_test(test_expire_order),
			cmocka_unit_test(test_rearm_moves_to_tail),
			cmocka_unit_test(test_clock_wrap),
			cmocka_unit_test(test_nolocaltimewait),
			cmocka_unit_test(test_prefix_match),
			cmocka_unit_test(test_restore_and_foreach),
			cmocka_unit_test(test_foreach_stops),
			cmocka_unit_test(test_params_invalid),
			cmocka_unit_test(test_memory_per_entry),
			cmocka_unit_test(test_counter_names),
			cmocka_unit_test(test_bucket_overflow),
			cmocka_unit_test(test_bucket_full_lap),
			cmocka_unit_test(test_model),
	};

	if (test_eal_init("test_twq_shard", 256) < 0)
		return EXIT_FAILURE;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
