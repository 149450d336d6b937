/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* The timer wheel under a budget: many timers due in one slot are fired a budget at a time,
 * each exactly once, in the order one unbudgeted call fires them, none early, and the calls
 * together cost about what one unbudgeted call costs (not O(entries in the slot) each);
 * entries of a later turn in the same slot are kept, and entries removed between two calls
 * of a slot's run never fire. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tt_util.h"

#define T0 100u

struct fire_log {
	uint32_t *order;  /* ids in the order fired */
	uint32_t n;       /* fired so far */
	uint32_t max;     /* size of order */
	uint8_t *times;   /* [capacity]: how often each id fired */
	uint32_t in_call; /* fired in the current call */
};

static void
log_cb(struct tcpterm_table *t, enum tcpterm_verdict verdict, const struct tcpterm_out *out,
		void *arg)
{
	struct fire_log *l = arg;

	(void)t;
	assert_int_equal(verdict, TCPTERM_RST); /* an idle timeout */
	assert_true(l->n < l->max);
	l->order[l->n++] = out->conn;
	l->times[out->conn]++;
	l->in_call++;
}

static void
log_init(struct fire_log *l, uint32_t cap)
{
	l->order = calloc(cap, sizeof(*l->order));
	l->times = calloc(cap, 1);
	assert_non_null(l->order);
	assert_non_null(l->times);
	l->n = 0;
	l->max = cap;
}

static void
log_free(struct fire_log *l)
{
	free(l->order);
	free(l->times);
}

/* n idle connections, peers first..first+n-1, made at now; their segments into segs. */
static void
make_conns(struct tcpterm_table *t, struct tt_seg *segs, uint32_t first, uint32_t n, uint64_t now)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct tt_seg *s = &segs[i];

		memset(s, 0, sizeof(*s));
		s->peer = first + i;
		s->seq = 1000;
		s->opts = TCPSEG_OPT_TS;
		s->tsval = 1;
		tt_connect(t, s, now);
	}
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Run the timers at now with budget until nothing is due; returns the number of calls. */
static uint32_t
run_until_done(struct tcpterm_table *t, uint64_t now, uint32_t budget, struct fire_log *l,
		uint32_t max_calls, double *cpu)
{
	uint32_t calls = 0, k;
	double c0 = cpu_s();

	while (tcpterm_next_due_ms(t, now) == 0 && tcpterm_table_count(t) > 0) {
		assert_true(calls < max_calls);
		l->in_call = 0;
		k = tcpterm_timers(t, now, budget, log_cb, l);
		calls++;
		assert_int_equal(k, l->in_call);
		assert_true(k <= budget);
	}
	*cpu = cpu_s() - c0;
	return calls;
}

/*
 * N timers due in one slot, budget B: N / B calls, each firing B, every timer once, in the
 * order of one unbudgeted call; and all the calls cost about as much as that one call (with
 * the whole rest of the slot walked at every call they cost N / 2B times as much).
 */
static void
test_timer_budget_one_slot(void **state)
{
	enum { N = 20000, CAP = 32768, B = 8 };
	struct tcpterm_response *r = tt_response(100, false, 0);
	struct tcpterm_table *tb = tt_table(&r, 1, CAP, NULL), *tu = tt_table(&r, 1, CAP, NULL);
	struct tt_seg *segs = calloc(N, sizeof(*segs));
	uint64_t due = T0 + 30000; /* the idle timeout */
	struct fire_log lb, lu;
	double cpu_b, cpu_u;
	uint32_t i, calls;

	(void)state;
	assert_non_null(segs);
	log_init(&lb, CAP);
	log_init(&lu, CAP);
	make_conns(tb, segs, 1, N, T0);
	make_conns(tu, segs, 1, N, T0);
	assert_int_equal(tcpterm_table_count(tb), N);
	/* Not early: the tick before the deadline fires nothing. */
	assert_int_equal(tcpterm_timers(tb, due - 16, B, log_cb, &lb), 0);
	assert_int_equal(tcpterm_timers(tu, due - 16, UINT32_MAX, log_cb, &lu), 0);
	assert_int_equal(tcpterm_table_count(tb), N);

	calls = run_until_done(tu, due + 16, UINT32_MAX, &lu, 2, &cpu_u);
	assert_int_equal(calls, 1);
	assert_int_equal(lu.n, N);
	calls = run_until_done(tb, due + 16, B, &lb, N / B + 2, &cpu_b);
	assert_int_equal(lb.n, N);
	assert_true(calls >= N / B && calls <= N / B + 1);
	for (i = 0; i < CAP; i++)
		assert_int_equal(lb.times[i], lu.times[i]);
	for (i = 0; i < N; i++) {
		assert_int_equal(lb.times[lb.order[i]], 1);
		assert_int_equal(lb.order[i], lu.order[i]); /* the slot's order is kept */
	}
	assert_int_equal(tcpterm_table_count(tb), 0);
	assert_int_equal(tt_ctr(tb, TCPTERM_CTR_IDLE_TIMEOUT), N);
	/* Loose (CPU time, not wall): the walk of the whole rest at each call costs over 1000
	 * times the unbudgeted call here. */
	print_message("budget %u: %u calls, %.3f ms CPU; no budget: 1 call, %.3f ms\n", B, calls,
			cpu_b * 1e3, cpu_u * 1e3);
	assert_true(cpu_b < 10 * cpu_u + 0.005);

	log_free(&lb);
	log_free(&lu);
	free(segs);
	tcpterm_table_free(tb);
	tcpterm_table_free(tu);
	tcpterm_response_free(r);
}

/* Peer s resets its connection (a RST at rcv_nxt). */
static void
peer_rst(struct tcpterm_table *t, struct tt_seg *s, uint64_t now)
{
	struct tcpterm_out out;
	uint32_t before = tcpterm_table_count(t);

	s->flags = TCPSEG_RST;
	(void)tt_input(t, s, now, &out);
	assert_int_equal(tcpterm_table_count(t), before - 1);
}

/*
 * One slot holds timers due now (A, made at T0) and timers of the next turn of the wheel (B,
 * made one turn later: 1024 slots of 16 ms for capacity 4096): with a small budget, every A
 * fires once and no B; connections reset between two calls of the slot's run (among them the
 * first B visited and A not yet visited) never fire; then every B fires once at its time.
 */
static void
test_timer_budget_later_turn(void **state)
{
	enum { NA = 600, NB = 500, CAP = 4096, B = 7, TURN = 1024 * 16 };
	struct tcpterm_response *r = tt_response(100, false, 0);
	struct tcpterm_table *t = tt_table(&r, 1, CAP, NULL);
	struct tt_seg *a = calloc(NA, sizeof(*a)), *b = calloc(NB, sizeof(*b));
	uint32_t i, calls = 0, gone = 0, k;
	uint64_t now = T0 + 30000 + 16;
	struct fire_log l;
	double cpu;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	log_init(&l, CAP);
	make_conns(t, a, 1, NA, T0);
	make_conns(t, b, 1 + NA, NB, T0 + TURN);
	/* The slot's list is the B (made last) then the A: the first calls visit B only. */
	l.in_call = 0;
	k = tcpterm_timers(t, now, B, log_cb, &l);
	assert_int_equal(k, l.in_call);
	calls++;
	/* Reset: the first B visited (the last made), a B not yet visited, some A. */
	peer_rst(t, &b[NB - 1], now);
	peer_rst(t, &b[0], now);
	gone += 2;
	for (i = 0; i < NA; i += 50) {
		peer_rst(t, &a[i], now);
		gone++;
	}
	calls += run_until_done(t, now, B, &l, (NA + NB) / B + 4, &cpu);
	assert_true(calls <= (NA + NB) / B + 3);
	assert_int_equal(l.n, NA - NA / 50);
	for (i = 0; i < CAP; i++)
		assert_true(l.times[i] <= 1);
	assert_int_equal(tcpterm_table_count(t), NB - 2);
	/* Nothing more until B's time, then every B left once. */
	for (; now < T0 + TURN + 30000; now += 100) {
		l.in_call = 0;
		assert_int_equal(tcpterm_timers(t, now, B, log_cb, &l), 0);
	}
	memset(l.times, 0, CAP);
	l.n = 0;
	now = T0 + TURN + 30000 + 16;
	(void)run_until_done(t, now, B, &l, NB / B + 4, &cpu);
	assert_int_equal(l.n, NB - 2);
	for (i = 0; i < CAP; i++)
		assert_true(l.times[i] <= 1);
	assert_int_equal(tcpterm_table_count(t), 0);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_IDLE_TIMEOUT), NA + NB - gone);
	assert_int_equal(tcpterm_next_due_ms(t, now), UINT32_MAX);

	log_free(&l);
	free(a);
	free(b);
	tcpterm_table_free(t);
	tcpterm_response_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_timer_budget_one_slot),
			cmocka_unit_test(test_timer_budget_later_turn),
	};

	if (tt_setup("test_tcpterm_timer") != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
