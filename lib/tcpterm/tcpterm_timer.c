/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * One timer per connection in a timer wheel: slots of 16 ms, as many slots as a quarter of
 * the capacity (64 to 4096), each a circular doubly linked list through the entries (the
 * head's tprev is the tail). A connection is put at the head of the slot of its deadline's
 * tick; a deadline beyond one turn of the wheel is met early, found not due and kept, which
 * costs one visit per turn. tcpterm_timers() visits only the ticks that have passed since
 * its last call: when the clock has not moved to a new tick, or the table has no timers, it
 * returns at once.
 *
 * The run of a slot may take several calls (the budget bounds the entries visited per call,
 * so the caller's lock is held for O(budget)): it takes entries from the head, unlinks the
 * due ones and fires them, and keeps the others by moving the head past them, which puts
 * them at the tail in O(1). run_mark is the first entry kept: when the head comes back to
 * it, every entry of the slot has been visited once and the slot is done. Entries linked
 * meanwhile go in at the head and are visited by the same run; tcpterm_timer_stop() moves
 * run_mark on when it removes that entry.
 *
 * The timers of RFC 6298 (retransmission), the FIN-WAIT-2 timeout and the idle timeout all
 * use it; the kind is kept in the entry so that an ACK restarts only the timer it should.
 *
 * Ticks count modulo 2^32 from the caller's 64-bit clock (now_ms >> TICK_SHIFT), so that the
 * wheel runs on when the clock passes 2^32 ms (49.7 days of TSC uptime) and when the tick
 * count itself wraps. A deadline is kept modulo 2^32 ms: its tick is known modulo 2^28 only,
 * so it is compared with cur_tick by their difference modulo 2^28 (tick_before()).
 */

#include <string.h>

#include "tcpterm_pvt.h"

static inline uint32_t
slot_of(const struct tcpterm_table *t, uint32_t deadline)
{
	uint32_t tick = (deadline + (1u << TICK_SHIFT) - 1) >> TICK_SHIFT;

	return tick & t->wheel_mask;
}

/* Tick a (modulo 2^28, from a deadline) is before tick b (modulo 2^32). */
static inline bool
tick_before(uint32_t a, uint32_t b)
{
	return (int32_t)((a - b) << TICK_SHIFT) < 0;
}

static void
link(struct tcpterm_table *t, struct tcpterm_conn *c)
{
	uint32_t id = conn_id(t, c), *head;
	uint32_t tick = (c->deadline + (1u << TICK_SHIFT) - 1) >> TICK_SHIFT;

	/* A tick already run (a clock read before the last tcpterm_timers() call) would wait a
	 * whole turn: the next tick to run is as late as it gets. */
	if (tick_before(tick, t->cur_tick))
		c->deadline = t->cur_tick << TICK_SHIFT;
	head = &t->wheel[slot_of(t, c->deadline)];

	if (*head == TCPTERM_ID_NONE) {
		c->tprev = c->tnext = id;
	} else {
		struct tcpterm_conn *h = &t->conns[*head];

		c->tnext = *head;
		c->tprev = h->tprev;
		t->conns[h->tprev].tnext = id;
		h->tprev = id;
	}
	*head = id;
	c->flags |= C_TIMER;
	t->timers++;
}

/* Take c off its slot's list (it is on the wheel). */
static void
unlink(struct tcpterm_table *t, struct tcpterm_conn *c)
{
	uint32_t id = conn_id(t, c), *head = &t->wheel[slot_of(t, c->deadline)];

	if (t->run_mark == id) /* the next entry kept, if the head is not next */
		t->run_mark = c->tnext == *head || c->tnext == id ? TCPTERM_ID_NONE : c->tnext;
	if (c->tnext == id) {
		*head = TCPTERM_ID_NONE;
	} else {
		t->conns[c->tprev].tnext = c->tnext;
		t->conns[c->tnext].tprev = c->tprev;
		if (*head == id)
			*head = c->tnext;
	}
	c->tprev = c->tnext = TCPTERM_ID_NONE;
	c->flags &= (uint8_t)~C_TIMER;
	t->timers--;
}

/* unlink() of the head of a slot being run, which is not run_mark: the run's fast path. */
static inline void
unlink_head(struct tcpterm_table *t, uint32_t *head, struct tcpterm_conn *c, uint32_t id)
{
	if (c->tnext == id) {
		*head = TCPTERM_ID_NONE;
	} else {
		t->conns[c->tprev].tnext = c->tnext;
		t->conns[c->tnext].tprev = c->tprev;
		*head = c->tnext;
	}
	c->tprev = c->tnext = TCPTERM_ID_NONE;
	c->flags &= (uint8_t)~C_TIMER;
	t->timers--;
}

void
tcpterm_timer_stop(struct tcpterm_table *t, struct tcpterm_conn *c)
{
	if (!(c->flags & C_TIMER))
		return;
	unlink(t, c);
	c->l2 &= (uint8_t)~L2_TKIND;
}

void
tcpterm_timer_set(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms,
		uint32_t after_ms, uint8_t kind)
{
	tcpterm_timer_stop(t, c);
	/* An empty wheel may start anywhere: at this clock, which tcpterm_timers() may not have
	 * seen yet (its first call comes later). */
	if (t->timers == 0)
		t->cur_tick = (uint32_t)(now_ms >> TICK_SHIFT);
	c->deadline = (uint32_t)now_ms + after_ms;
	c->l2 = (uint8_t)((c->l2 & ~L2_TKIND) | kind);
	link(t, c);
}

uint32_t
tcpterm_next_due_ms(const struct tcpterm_table *t, uint64_t now_ms)
{
	uint32_t next = t->cur_tick << TICK_SHIFT;
	int32_t left = (int32_t)(next - (uint32_t)now_ms);

	if (t->timers == 0)
		return UINT32_MAX;
	return left > 0 ? (uint32_t)left : 0;
}

/* A RST for a connection being aborted from a timer. */
static void
abort_seg(const struct tcpterm_table *t, const struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_out *out)
{
	struct tcpterm_seg *s = &out->segs[0];

	tcpterm_fill_hdr(t, c, now_ms, s);
	s->seq = c->snd_max;
	s->flags = TCPSEG_RST | TCPSEG_ACK;
	out->n_segs = 1;
}

/* RFC 6298 section 5.4 to 5.6: retransmit the earliest unacknowledged segment, back off. */
static enum tcpterm_verdict
rto_fire(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms, struct tcpterm_out *out)
{
	ctr_inc(t, TCPTERM_CTR_RTO_FIRED);
	if (++c->retries > t->p.retries) {
		ctr_inc(t, TCPTERM_CTR_ABORT_RETRIES);
		abort_seg(t, c, now_ms, out);
		return TCPTERM_RST;
	}
	c->rto = (uint16_t)RTE_MIN((uint32_t)c->rto * 2, t->p.rto_max_ms);
	c->flags &= (uint8_t)~C_RTT; /* Karn: no sample from a retransmitted segment */
	if (c->state == TCPTERM_ST_SYN_RECEIVED) {
		c->cwnd = 1; /* RFC 5681 3.1: one segment after a lost SYN-ACK */
		tcpterm_synack_seg(t, c, now_ms, &out->segs[0]);
		out->n_segs = 1;
		ctr_inc(t, TCPTERM_CTR_SYNACK_RETRANS);
	} else {
		/* ssthresh and the loss window, unless this is a zero window's probe: no
		 * congestion there (RFC 9293 3.8.6.1, and Linux's probe timer) */
		if (c->snd_wnd != 0)
			tcpterm_cwnd_loss(c);
		c->snd_nxt = c->snd_una; /* go back N, as BSD does */
		tcpterm_send(t, c, now_ms, out, true);
		ctr_add(t, TCPTERM_CTR_RETRANS, out->n_segs);
	}
	tcpterm_timer_set(t, c, now_ms, c->rto, L2_T_RTO);
	return out->n_segs ? TCPTERM_SEND : TCPTERM_DROP;
}

/*
 * One connection's timer is due: what it does depends on what the timer was for. The
 * FIN-WAIT-2 timeout closes silently (verdict TCPTERM_DROP with *gone set), as Linux's
 * tcp_fin_timeout does for an orphaned socket.
 */
static enum tcpterm_verdict
fire(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms, struct tcpterm_out *out,
		bool *gone)
{
	uint8_t kind = c->l2 & L2_TKIND;

	c->l2 &= (uint8_t)~L2_TKIND;
	*gone = false;
	if (kind == L2_T_RTO) {
		enum tcpterm_verdict vd = rto_fire(t, c, now_ms, out);

		*gone = vd == TCPTERM_RST;
		return vd;
	}
	*gone = true;
	if (c->state == TCPTERM_ST_FIN_WAIT_2) {
		ctr_inc(t, TCPTERM_CTR_FW2_TIMEOUT);
		return TCPTERM_DROP;
	}
	ctr_inc(t, TCPTERM_CTR_IDLE_TIMEOUT);
	abort_seg(t, c, now_ms, out);
	return TCPTERM_RST;
}

/*
 * Run one slot on from where its last call stopped, visiting at most *budget entries (fired
 * or kept); false when the budget ran out first (the slot is not done).
 */
static bool
slot_run(struct tcpterm_table *t, uint32_t slot, uint64_t now_ms, uint32_t *budget, uint32_t *fired,
		tcpterm_timer_cb cb, void *arg)
{
	uint32_t *head = &t->wheel[slot], id;
	struct tcpterm_out out;

	while ((id = *head) != TCPTERM_ID_NONE && id != t->run_mark) {
		struct tcpterm_conn *c = &t->conns[id];
		enum tcpterm_verdict vd;
		bool gone;

		if (*budget == 0)
			return false;
		(*budget)--;
		if ((int32_t)(c->deadline - (uint32_t)now_ms) > 0) {
			/* A later turn of the wheel: kept, now the tail. */
			if (t->run_mark == TCPTERM_ID_NONE)
				t->run_mark = id;
			*head = c->tnext;
			continue;
		}
		unlink_head(t, head, c, id);
		(*fired)++;
		tcpterm_out_init(&out);
		out.conn = id;
		out.port = c->port;
		vd = fire(t, c, now_ms, &out, &gone);
		if (cb != NULL && out.n_segs)
			cb(t, vd, &out, arg);
		if (gone)
			tcpterm_conn_del(t, c);
	}
	t->run_mark = TCPTERM_ID_NONE;
	return true;
}

uint32_t
tcpterm_timers(struct tcpterm_table *t, uint64_t now_ms, uint32_t budget, tcpterm_timer_cb cb,
		void *arg)
{
	uint32_t now_tick = (uint32_t)(now_ms >> TICK_SHIFT), fired = 0, n;

	if (t->timers == 0) {
		t->cur_tick = now_tick + 1;
		return 0;
	}
	/* More than one turn behind: every slot once is enough. */
	n = now_tick - t->cur_tick + 1;
	if ((int32_t)n <= 0)
		return 0;
	if (n > t->wheel_mask + 1) {
		/* A slot's run left unfinished starts again: its kept entries are seen twice. */
		t->run_mark = TCPTERM_ID_NONE;
		t->cur_tick = now_tick - t->wheel_mask;
		n = t->wheel_mask + 1;
	}
	for (; n > 0; n--) {
		if (!slot_run(t, t->cur_tick & t->wheel_mask, now_ms, &budget, &fired, cb, arg))
			break;
		t->cur_tick++;
	}
	return fired;
}
