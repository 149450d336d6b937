/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The calls for observers and for loading and saving state: twq_peek (counts nothing),
 * twq_lookup_burst's hit count, restore in batches (twq_restore_begin/_end: ring order,
 * duplicates, full pool, no time left, a mix with existing entries) and the resumable walk
 * (twq_walk: slices, entries made and ended between slices).
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

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

static void
info_make(struct twq_entry_info *info, uint32_t n, int v6, uint32_t remaining)
{
	memset(info, 0, sizeof(*info));
	if (v6)
		tu_key6(&info->key, n);
	else
		tu_key4(&info->key, n);
	info->snd_nxt = 1000 + n;
	info->rcv_nxt = 2000 + n;
	info->last_win = 512;
	info->remaining_ms = remaining;
}

/*
 * A family's ring checked link by link: prev and next agree, every entry on it is live, the
 * deadlines never go down from head to tail, and it holds exactly the family's entries.
 * Returns the ring's ids oldest first in ids (when not NULL).
 */
static void
ring_check(const struct twq_shard *s, int v6, uint32_t *ids)
{
	const struct twq_fam *f = &s->fam[v6];
	uint32_t idx, prev = TWQ_NIL, n = 0;

	for (idx = f->head; idx != TWQ_NIL; idx = twq_lnk(f, idx)->next) {
		assert_true(n < f->count);
		assert_int_equal(twq_lnk(f, idx)->prev, prev);
		assert_true(twq_ent(f, idx)->flags & TWQ_EF_LIVE);
		if (prev != TWQ_NIL)
			assert_true((int32_t)(twq_lnk(f, idx)->deadline -
						    twq_lnk(f, prev)->deadline) >= 0);
		if (ids != NULL)
			ids[n] = f->id_base + idx;
		prev = idx;
		n++;
	}
	assert_int_equal(f->tail, prev);
	assert_int_equal(n, f->count);
}

static void
ctr_snapshot(const struct twq_shard *s, uint64_t c[TWQ_CTR_MAX])
{
	twq_counters_read(s, c);
}

/* twq_peek finds what twq_lookup finds and changes no counter, no entry, no ring. */
static void
test_peek_counts_nothing(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	uint64_t before[TWQ_CTR_MAX], after[TWQ_CTR_MAX];
	uint32_t ring_before[64], ring_after[64], i;
	struct twq_entry_info a, b;
	struct twq_key k;

	(void)state;
	for (i = 0; i < 10; i++) {
		tu_key4(&k, i);
		start(s, &k, T0 + i);
	}
	tu_key6(&k, 1);
	start(s, &k, T0);
	ring_check(s, 0, ring_before);
	tu_key4(&k, 3);
	assert_int_equal(twq_entry_get(s, twq_peek(s, &k), T0 + 50, &a), 0);
	ctr_snapshot(s, before);
	for (i = 0; i < 100; i++) {
		tu_key4(&k, i % 20); /* 0..9 present, 10..19 absent */
		if (i % 20 < 10)
			assert_int_not_equal(twq_peek(s, &k), TWQ_ID_NONE);
		else
			assert_int_equal(twq_peek(s, &k), TWQ_ID_NONE);
	}
	tu_key6(&k, 1);
	assert_int_not_equal(twq_peek(s, &k), TWQ_ID_NONE);
	tu_key6(&k, 2);
	assert_int_equal(twq_peek(s, &k), TWQ_ID_NONE);
	ctr_snapshot(s, after);
	assert_memory_equal(before, after, sizeof(before));
	ring_check(s, 0, ring_after);
	assert_memory_equal(ring_before, ring_after, 10 * sizeof(ring_before[0]));
	tu_key4(&k, 3);
	assert_int_equal(twq_entry_get(s, twq_peek(s, &k), T0 + 50, &b), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	/* The same ids as the counting lookup, which does count. */
	for (i = 0; i < 20; i++) {
		tu_key4(&k, i);
		assert_int_equal(twq_peek(s, &k), twq_lookup(s, &k));
	}
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_HIT), before[TWQ_CTR_LOOKUP_HIT] + 10);
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_MISS), before[TWQ_CTR_LOOKUP_MISS] + 10);
	twq_shard_free(s);
}

/* twq_lookup_burst returns its hits. */
static void
test_lookup_burst_count(void **state)
{
	enum { N = 70 };
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_key keys[N];
	uint32_t ids[N], i, want = 0;

	(void)state;
	for (i = 0; i < N; i++) {
		if (i % 2)
			tu_key6(&keys[i], i);
		else
			tu_key4(&keys[i], i);
		if (i % 3 == 0) {
			start(s, &keys[i], T0);
			want++;
		}
	}
	assert_int_equal(twq_lookup_burst(s, keys, N, ids), want);
	for (i = 0; i < N; i++)
		assert_int_equal(ids[i] != TWQ_ID_NONE, i % 3 == 0);
	assert_int_equal(twq_lookup_burst(s, keys, 0, ids), 0);
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_HIT), want);
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_MISS), N - want);
	twq_shard_free(s);
}

/* Restore entries from .. to - 1 of family v6 with the remaining times given. */
static void
restore_some(struct twq_shard *s, const uint32_t *remaining, uint32_t from, uint32_t to, int v6)
{
	struct twq_entry_info info;
	uint32_t i, id = 0;

	for (i = from; i < to; i++) {
		info_make(&info, i, v6, remaining[i]);
		assert_int_equal(twq_restore(s, &info, T0, &id), TWQ_RESTORED);
		/* In the index at once, with its id given back. */
		assert_int_equal(twq_peek(s, &info.key), id);
	}
}

static void
restore_batch(struct twq_shard *s, const uint32_t *remaining, uint32_t n, int v6)
{
	twq_restore_begin(s);
	restore_some(s, remaining, 0, n, v6);
	twq_restore_end(s);
}

/* After the batch: every entry found with its own fields and deadline, rings in order. */
static void
restore_verify(struct twq_shard *s, const uint32_t *remaining, uint32_t n, int v6)
{
	struct twq_entry_info info, got;
	uint32_t i;

	for (i = 0; i < n; i++) {
		info_make(&info, i, v6, remaining[i]);
		assert_int_equal(twq_entry_get(s, twq_peek(s, &info.key), T0, &got), 0);
		assert_int_equal(got.snd_nxt, 1000 + i);
		assert_int_equal(got.rcv_nxt, 2000 + i);
		assert_int_equal(got.remaining_ms, RTE_MIN(remaining[i], 2 * MSL));
	}
	ring_check(s, 0, NULL);
	ring_check(s, 1, NULL);
	tu_check_balance(s);
}

/* Expiry, step by step through the deadlines, ends exactly the entries due. */
static void
expire_verify(struct twq_shard *s, const uint32_t *remaining, uint32_t n)
{
	uint32_t t, i, due, left = twq_shard_count(s, -1);

	for (t = 0; t <= 2 * MSL; t += 997) {
		for (due = 0, i = 0; i < n; i++)
			due += RTE_MIN(remaining[i], 2 * MSL) <= t;
		left -= twq_expire(s, T0 + t, UINT32_MAX);
		assert_int_equal(left, n - due);
	}
	assert_int_equal(twq_expire(s, T0 + 2 * MSL, UINT32_MAX), left);
	assert_int_equal(twq_shard_count(s, -1), 0);
}

/* Random order, both families in one batch, enough entries to be spread into bins. */
static void
test_restore_batch_random(void **state)
{
	enum { N = 6000 };
	static uint32_t rem4[N], rem6[N];
	struct twq_shard *s = tu_shard(N, 0);
	uint32_t i;

	(void)state;
	srand(11);
	for (i = 0; i < N; i++) {
		rem4[i] = 1 + (uint32_t)rand() % (2 * MSL + 500); /* some above 2MSL: cut */
		rem6[i] = 1 + (uint32_t)rand() % 100;             /* a narrow range, many ties */
	}
	twq_restore_begin(s);
	twq_restore_end(s); /* an empty batch changes nothing */
	assert_int_equal(twq_shard_count(s, -1), 0);
	twq_restore_begin(s);
	for (i = 0; i < N; i += 1000) {
		/* The families interleaved in the batch, 1000 at a time. */
		restore_some(s, rem4, i, i + 1000, 0);
		restore_some(s, rem6, i, i + 1000, 1);
	}
	twq_restore_end(s);
	assert_int_equal(twq_shard_count(s, 0), N);
	assert_int_equal(twq_shard_count(s, 1), N);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RESTORED), 2 * N);
	restore_verify(s, rem4, N, 0);
	restore_verify(s, rem6, N, 1);
	twq_shard_free(s);
}

/* Random order, one family: expiry then follows the deadlines exactly. */
static void
test_restore_batch_random_expire(void **state)
{
	enum { N = 4000 };
	static uint32_t rem[N];
	struct twq_shard *s = tu_shard(N, 0);
	uint32_t i;

	(void)state;
	srand(12);
	for (i = 0; i < N; i++)
		rem[i] = 1 + (uint32_t)rand() % (2 * MSL);
	restore_batch(s, rem, N, 0);
	restore_verify(s, rem, N, 0);
	expire_verify(s, rem, N);
	twq_shard_free(s);
}

/*
 * A 2MSL of 2 hours: bins too wide for exact sub-bins are merge sorted instead. Both ways
 * (and a narrow range, where every bin is one millisecond) give the same ring order.
 */
static void
test_restore_batch_long_msl(void **state)
{
	enum { N = 5000 };
	static const uint32_t ranges[] = {7200000, 600000, 8192, 50};
	struct twq_params p = {
			.socket_id = SOCKET_ID_ANY,
			.capacity = N,
			.capacity6 = 32,
			.msl_ms = 3600000,
	};
	static uint32_t rem[N];
	struct twq_entry_info info, got;
	uint32_t i, due;
	unsigned int r;

	(void)state;
	srand(21);
	for (r = 0; r < RTE_DIM(ranges); r++) {
		struct twq_shard *s = tu_shard_p(&p);

		for (i = 0; i < N; i++)
			rem[i] = 1 + (uint32_t)rand() % ranges[r];
		restore_batch(s, rem, N, 0);
		ring_check(s, 0, NULL);
		for (i = 0; i < N; i++) {
			info_make(&info, i, 0, rem[i]);
			assert_int_equal(twq_entry_get(s, twq_peek(s, &info.key), T0, &got), 0);
			assert_int_equal(got.remaining_ms, rem[i]);
		}
		for (due = 0, i = 0; i < N; i++)
			due += rem[i] <= ranges[r] / 2;
		assert_int_equal(twq_expire(s, T0 + ranges[r] / 2, UINT32_MAX), due);
		twq_shard_free(s);
	}
}

/* Descending and ascending deadlines, small and large batches. */
static void
test_restore_batch_ordered(void **state)
{
	static const uint32_t sizes[] = {1, 2, 3, 100, 511, 512, 3000};
	static uint32_t rem[3000];
	unsigned int z, dir;
	uint32_t i, n;

	(void)state;
	for (z = 0; z < RTE_DIM(sizes); z++) {
		for (dir = 0; dir < 2; dir++) {
			struct twq_shard *s = tu_shard(3000, 0);

			n = sizes[z];
			for (i = 0; i < n; i++)
				rem[i] = dir ? 1 + 10 * (n - i) : 1 + 10 * i;
			restore_batch(s, rem, n, 0);
			restore_verify(s, rem, n, 0);
			expire_verify(s, rem, n);
			twq_shard_free(s);
		}
	}
}

/* One restore at a time (outside a batch) keeps the ring in order too. */
static void
test_restore_single(void **state)
{
	enum { N = 500 };
	static uint32_t rem[N];
	struct twq_shard *s = tu_shard(N, 0);
	struct twq_entry_info info;
	uint32_t i, id;

	(void)state;
	srand(5);
	for (i = 0; i < N; i++) {
		rem[i] = 1 + (uint32_t)rand() % (2 * MSL);
		info_make(&info, i, 0, rem[i]);
		id = TWQ_ID_NONE;
		assert_int_equal(twq_restore(s, &info, T0, &id), TWQ_RESTORED);
		assert_int_equal(id, twq_peek(s, &info.key));
		ring_check(s, 0, NULL);
	}
	restore_verify(s, rem, N, 0);
	expire_verify(s, rem, N);
	twq_shard_free(s);
}

/*
 * Duplicates: of an entry made before the batch, and of one earlier in the same batch. The
 * existing entry is kept with its fields and its place; nothing is counted as restored.
 */
static void
test_restore_duplicate(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info, got;
	uint32_t id, first;
	struct twq_key k;

	(void)state;
	tu_key4(&k, 1);
	start(s, &k, T0);
	twq_restore_begin(s);
	info_make(&info, 1, 0, 500);
	id = 12345;
	assert_int_equal(twq_restore(s, &info, T0, &id), TWQ_RESTORE_DUPLICATE);
	assert_int_equal(id, 12345); /* left as is */
	info_make(&info, 2, 0, 700);
	assert_int_equal(twq_restore(s, &info, T0, &first), TWQ_RESTORED);
	info.snd_nxt = 99;
	info.remaining_ms = 100;
	assert_int_equal(twq_restore(s, &info, T0, NULL), TWQ_RESTORE_DUPLICATE);
	twq_restore_end(s);
	/* Outside a batch too. */
	assert_int_equal(twq_restore(s, &info, T0, NULL), TWQ_RESTORE_DUPLICATE);
	assert_int_equal(twq_shard_count(s, -1), 2);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RESTORED), 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_START_REPLACED), 0);
	assert_int_equal(twq_entry_get(s, twq_peek(s, &k), T0, &got), 0);
	assert_int_equal(got.snd_nxt, 100);
	assert_int_equal(got.remaining_ms, 2 * MSL);
	assert_int_equal(twq_entry_get(s, first, T0, &got), 0);
	assert_int_equal(got.snd_nxt, 1002);
	assert_int_equal(got.remaining_ms, 700);
	ring_check(s, 0, NULL);
	tu_check_balance(s);
	twq_shard_free(s);
}

/* A full pool: TWQ_RESTORE_FULL, nothing recycled, the other family unaffected. */
static void
test_restore_full(void **state)
{
	struct twq_shard *s = tu_shard(40, 0);
	struct twq_entry_info info;
	struct twq_key k;
	uint32_t i, id;

	(void)state;
	for (i = 0; i < 10; i++) {
		tu_key4(&k, 1000 + i);
		start(s, &k, T0);
	}
	twq_restore_begin(s);
	for (i = 0; i < 35; i++) {
		info_make(&info, i, 0, 100 + i);
		id = 777;
		assert_int_equal(twq_restore(s, &info, T0, &id),
				i < 30 ? TWQ_RESTORED : TWQ_RESTORE_FULL);
		if (i >= 30)
			assert_int_equal(id, 777);
	}
	info_make(&info, 1, 1, 100);
	assert_int_equal(twq_restore(s, &info, T0, NULL), TWQ_RESTORED);
	twq_restore_end(s);
	info_make(&info, 99, 0, 100);
	assert_int_equal(twq_restore(s, &info, T0, NULL), TWQ_RESTORE_FULL);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RECYCLED), 0);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RESTORED), 31);
	assert_int_equal(twq_shard_count(s, 0), 40);
	for (i = 0; i < 10; i++) {
		tu_key4(&k, 1000 + i);
		assert_int_not_equal(twq_peek(s, &k), TWQ_ID_NONE);
	}
	ring_check(s, 0, NULL);
	ring_check(s, 1, NULL);
	/* The restored entries go first (100 .. 129 ms, and the IPv6 one), the started last. */
	assert_int_equal(twq_expire(s, T0 + 129, 100), 31);
	assert_int_equal(twq_shard_count(s, 0), 10);
	tu_check_balance(s);
	twq_shard_free(s);
}

/* No time left: nothing made, in a batch or not. */
static void
test_restore_expired(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info;
	uint32_t id = 5;

	(void)state;
	info_make(&info, 1, 0, 0);
	assert_int_equal(twq_restore(s, &info, T0, &id), TWQ_RESTORE_EXPIRED);
	twq_restore_begin(s);
	info_make(&info, 2, 1, 0);
	assert_int_equal(twq_restore(s, &info, T0, &id), TWQ_RESTORE_EXPIRED);
	twq_restore_end(s);
	assert_int_equal(id, 5);
	assert_int_equal(twq_shard_count(s, -1), 0);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RESTORED), 0);
	assert_int_equal(twq_next_due_ms(s, T0), UINT32_MAX);
	twq_shard_free(s);
}

/*
 * A batch merged into a ring that already has entries, deadlines interleaved, with ties: the
 * ring's order is checked entry by entry against the expected merge (by deadline; on a tie,
 * existing entries first, then the batch's in restore order).
 */
static void
test_restore_mix(void **state)
{
	enum { OLD = 300, NEW = 900 };
	static uint32_t want_key[OLD + NEW], want_dl[OLD + NEW], ring[OLD + NEW];
	struct twq_shard *s = tu_shard(OLD + NEW, 0);
	struct twq_entry_info info, got;
	uint32_t i, j, n = 0, t;
	struct twq_key k;

	(void)state;
	srand(3);
	/* Existing entries started over time: deadlines T0 + 2MSL + 0, 10, 20, ... */
	for (i = 0; i < OLD; i++) {
		tu_key4(&k, 100000 + i);
		t = T0 + 10 * i;
		start(s, &k, t);
		want_key[n] = 100000 + i;
		want_dl[n++] = t + 2 * MSL;
	}
	/* The batch at now = T0 + 3000: deadlines on the same 10 ms grid, before and among. */
	t = T0 + 3000;
	twq_restore_begin(s);
	for (i = 0; i < NEW; i++) {
		uint32_t dl = T0 + 2 * MSL - 1000 + 10 * ((uint32_t)rand() % 400);

		info_make(&info, i, 0, dl - t);
		assert_int_equal(twq_restore(s, &info, t, NULL), TWQ_RESTORED);
		want_key[n] = i;
		want_dl[n++] = dl;
	}
	twq_restore_end(s);
	ring_check(s, 0, ring);
	/* Expected: a stable sort by deadline of (existing..., batch...). Insertion sort. */
	for (i = 1; i < n; i++) {
		uint32_t kk = want_key[i], dd = want_dl[i];

		for (j = i; j > 0 && want_dl[j - 1] > dd; j--) {
			want_key[j] = want_key[j - 1];
			want_dl[j] = want_dl[j - 1];
		}
		want_key[j] = kk;
		want_dl[j] = dd;
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(twq_entry_get(s, ring[i], T0, &got), 0);
		tu_key4(&k, want_key[i]);
		assert_memory_equal(&got.key, &k, sizeof(k));
		assert_int_equal(got.remaining_ms, want_dl[i] - T0);
	}
	tu_check_balance(s);
	twq_shard_free(s);
}

/* Inside a batch, the entries are in the index: twq_peek and twq_walk see them. */
static int
count_cb(const struct twq_entry_info *info, void *arg)
{
	(void)info;
	++*(uint32_t *)arg;
	return 0;
}

static void
test_restore_batch_visible(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info;
	uint64_t cursor = 0;
	uint32_t seen = 0;

	(void)state;
	twq_restore_begin(s);
	info_make(&info, 1, 0, 100);
	assert_int_equal(twq_restore(s, &info, T0, NULL), TWQ_RESTORED);
	assert_int_not_equal(twq_peek(s, &info.key), TWQ_ID_NONE);
	assert_int_equal(twq_walk(s, &cursor, UINT32_MAX, T0, count_cb, &seen), 1);
	assert_int_equal(seen, 1);
	/* Not on the ring yet. */
	assert_int_equal(s->fam[0].head, TWQ_NIL);
	twq_restore_end(s);
	assert_int_equal(twq_next_due_ms(s, T0), 100);
	twq_shard_free(s);
}

/*
 * Debug builds assert that nothing but restores and reads happens inside a batch: a child
 * process opens a batch and calls twq_expire, and must die of the assertion (SIGABRT).
 * Without assertions (NDEBUG) there is nothing to check.
 */
static void
test_restore_batch_asserts(void **state)
{
#ifdef NDEBUG
	(void)state;
	skip();
#else
	struct twq_shard *s = tu_shard(64, 0);
	int status = 0;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		twq_restore_begin(s);
		twq_expire(s, T0, 1);
		_exit(0); /* not reached when the assertion holds */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	twq_shard_free(s);
#endif
}

/* Walk bookkeeping: visits per key of both families. */
struct visits {
	uint32_t v[2][512];
	uint32_t calls;
	int stop_after; /* return -7 at this visit (1-based); 0: never */
};

static int
visit_cb(const struct twq_entry_info *info, void *arg)
{
	struct visits *w = arg;
	const uint8_t *a = info->key.raddr.v6;
	uint32_t n = info->key.is_ipv6 ? (uint32_t)a[15] | (uint32_t)a[14] << 8
				       : (uint32_t)info->key.rport - 1024;

	assert_true(n < 512);
	w->v[info->key.is_ipv6][n]++;
	w->calls++;
	return (int)w->calls == w->stop_after ? -7 : 0;
}

/* Slices of 7 slots: each entry once, 0 until the end, then 1; the cursor ends at the end. */
static void
test_walk_slices(void **state)
{
	struct twq_shard *s = tu_shard(100, 0);
	static struct visits w;
	uint64_t cursor = 0;
	uint32_t i, calls = 0;
	struct twq_key k;
	int rc;

	(void)state;
	memset(&w, 0, sizeof(w));
	for (i = 0; i < 100; i += 3) {
		tu_key4(&k, i);
		start(s, &k, T0);
	}
	for (i = 0; i < 100; i++) { /* every IPv6 slot, the last one among them */
		tu_key6(&k, i);
		start(s, &k, T0);
	}
	assert_int_equal(twq_walk(s, &cursor, 0, T0, visit_cb, &w), 0);
	assert_int_equal(cursor, 0);
	do {
		rc = twq_walk(s, &cursor, 7, T0, visit_cb, &w);
		calls++;
		assert_true(rc == 0 || rc == 1);
		assert_true(cursor <= 200);
	} while (rc == 0);
	assert_int_equal(calls, (200 + 6) / 7);
	assert_int_equal(cursor, 200);
	for (i = 0; i < 100; i++) {
		assert_int_equal(w.v[0][i], i % 3 == 0);
		assert_int_equal(w.v[1][i], 1);
	}
	/* One slot short of the end is not the end: the last (live) slot is still to come. */
	cursor = 0;
	w.calls = 0;
	assert_int_equal(twq_walk(s, &cursor, 199, T0, visit_cb, &w), 0);
	assert_int_equal(w.calls, 34 + 99);
	assert_int_equal(twq_walk(s, &cursor, 1, T0, visit_cb, &w), 1);
	assert_int_equal(w.calls, 34 + 100);
	/* At the end it stays at the end. */
	assert_int_equal(twq_walk(s, &cursor, 7, T0, visit_cb, &w), 1);
	assert_int_equal(cursor, 200);

	/* A callback's negative value stops the walk; the next call goes on after it. */
	memset(&w, 0, sizeof(w));
	w.stop_after = 5;
	cursor = 0;
	assert_int_equal(twq_walk(s, &cursor, UINT32_MAX, T0, visit_cb, &w), -7);
	assert_int_equal(w.calls, 5);
	assert_int_equal(cursor, 5); /* the fifth entry is slot 4: slots were taken in order */
	assert_int_equal(twq_walk(s, &cursor, UINT32_MAX, T0, visit_cb, &w), 1);
	for (i = 0; i < 100; i++) {
		assert_int_equal(w.v[0][i], i % 3 == 0);
		assert_int_equal(w.v[1][i], 1);
	}
	twq_shard_free(s);
}

/*
 * Entries made and ended between slices: those alive throughout are visited exactly once,
 * the others at most once; nothing is visited twice even when a slot is reused.
 */
static void
test_walk_changes(void **state)
{
	enum { CAP = 300, KEYS = 500 };
	struct twq_shard *s = tu_shard(CAP, 0);
	static uint8_t alive[2][KEYS], touched[2][KEYS];
	static struct visits w;
	uint64_t cursor = 0, now = T0;
	uint32_t i, live = 0;
	struct twq_key k;
	int rc;

	(void)state;
	srand(9);
	memset(&w, 0, sizeof(w));
	memset(alive, 0, sizeof(alive));
	memset(touched, 0, sizeof(touched));
	for (i = 0; i < KEYS && live < CAP - 20; i += 2) {
		tu_key4(&k, i);
		start(s, &k, now);
		alive[0][i] = 1;
		live++;
	}
	for (i = 0; i < 100; i++) {
		tu_key6(&k, i);
		start(s, &k, now);
		alive[1][i] = 1;
	}
	do {
		rc = twq_walk(s, &cursor, 13, now, visit_cb, &w);
		assert_true(rc == 0 || rc == 1);
		/* Between slices: end a few entries, make a few (possibly in freed slots). */
		for (i = 0; i < 3 && rc == 0; i++) {
			uint32_t n = (uint32_t)rand() % KEYS, fam = (uint32_t)rand() & 1;
			uint32_t id;

			if (fam)
				tu_key6(&k, n);
			else
				tu_key4(&k, n);
			id = twq_peek(s, &k);
			touched[fam][n] = 1;
			if (id != TWQ_ID_NONE)
				assert_int_equal(twq_close(s, id), 0);
			else if (twq_shard_count(s, (int)fam) < CAP)
				start(s, &k, now);
		}
		now++;
	} while (rc == 0);
	for (i = 0; i < KEYS; i++) {
		unsigned int f;

		for (f = 0; f < 2; f++) {
			if (alive[f][i] && !touched[f][i])
				assert_int_equal(w.v[f][i], 1);
			else
				assert_true(w.v[f][i] <= 1);
		}
	}
	assert_int_equal(tu_ctr(s, TWQ_CTR_RECYCLED), 0);
	twq_shard_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_peek_counts_nothing),
			cmocka_unit_test(test_lookup_burst_count),
			cmocka_unit_test(test_restore_batch_random),
			cmocka_unit_test(test_restore_batch_random_expire),
			cmocka_unit_test(test_restore_batch_long_msl),
			cmocka_unit_test(test_restore_batch_ordered),
			cmocka_unit_test(test_restore_single),
			cmocka_unit_test(test_restore_duplicate),
			cmocka_unit_test(test_restore_full),
			cmocka_unit_test(test_restore_expired),
			cmocka_unit_test(test_restore_mix),
			cmocka_unit_test(test_restore_batch_visible),
			cmocka_unit_test(test_restore_batch_asserts),
			cmocka_unit_test(test_walk_slices),
			cmocka_unit_test(test_walk_changes),
	};

	if (test_eal_init("test_twq_restore", 256) < 0)
		return EXIT_FAILURE;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
