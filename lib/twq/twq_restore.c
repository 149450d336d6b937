/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Making entries from saved state, in batches: each restored entry goes into the index at
 * once and onto a per-family batch list; at the end of the batch the list is sorted by
 * deadline and merged into the ring (twq_ring.c). Loading n entries costs O(n log n), not
 * the O(n^2) of inserting each one into the ring in turn.
 */

#include <stdbool.h>

#include <rte_common.h>

#include "twq.h"
#include "twq_pvt.h"

void
twq_restore_begin(struct twq_shard *s)
{
	unsigned int i;

	TWQ_ASSERT_NO_BATCH(s);
	for (i = 0; i < RTE_DIM(s->batch); i++) {
		s->batch[i].head = TWQ_NIL;
		s->batch[i].tail = TWQ_NIL;
		s->batch[i].count = 0;
	}
	s->in_batch = true;
}

/* Add a new entry to its family's batch, keeping the batch's deadline range. */
static void
batch_add(struct twq_batch *b, struct twq_fam *f, uint32_t idx)
{
	uint32_t d = twq_lnk(f, idx)->deadline;

	twq_lnk(f, idx)->next = TWQ_NIL;
	if (b->count == 0) {
		b->head = idx;
		b->dl_min = d;
		b->dl_max = d;
	} else {
		twq_lnk(f, b->tail)->next = idx;
		if ((int32_t)(d - b->dl_min) < 0)
			b->dl_min = d;
		if ((int32_t)(d - b->dl_max) > 0)
			b->dl_max = d;
	}
	b->tail = idx;
	b->count++;
}

static enum twq_restore_result
restore_one(struct twq_shard *s, const struct twq_entry_info *info, uint64_t now_ms, uint32_t *idp)
{
	const struct twq_key *k = &info->key;
	struct twq_fam *f = &s->fam[!!k->is_ipv6];
	struct twq_entry *e;
	struct twq_link *l;
	uint32_t id, idx;
	bool found;

	if (info->remaining_ms == 0)
		return TWQ_RESTORE_EXPIRED;
	id = twq_claim(s, k, false, &found);
	if (id == TWQ_ID_NONE)
		return TWQ_RESTORE_FULL;
	if (found)
		return TWQ_RESTORE_DUPLICATE;
	idx = id - f->id_base;
	e = twq_ent(f, idx);
	e->snd_nxt = info->snd_nxt;
	e->rcv_nxt = info->rcv_nxt;
	e->last_win = info->last_win;
	e->flags = TWQ_EF_LIVE | (info->has_ts ? TWQ_EF_TS : 0);
	e->t_recent = info->has_ts ? info->t_recent : 0;
	e->ts_offset = info->has_ts ? info->ts_offset : 0;
	e->ack_count = 0;
	l = twq_lnk(f, idx);
	l->ack_epoch = (uint32_t)now_ms;
	l->deadline = (uint32_t)now_ms + RTE_MIN(info->remaining_ms, s->two_msl);
	batch_add(&s->batch[!!k->is_ipv6], f, idx);
	twq_ctr_inc(s, TWQ_CTR_RESTORED);
	if (idp != NULL)
		*idp = id;
	return TWQ_RESTORED;
}

enum twq_restore_result
twq_restore(struct twq_shard *s, const struct twq_entry_info *info, uint64_t now_ms, uint32_t *id)
{
	enum twq_restore_result r;

	if (s->in_batch)
		return restore_one(s, info, now_ms, id);
	/* Outside a batch: a batch of one. */
	twq_restore_begin(s);
	r = restore_one(s, info, now_ms, id);
	twq_restore_end(s);
	return r;
}

void
twq_restore_end(struct twq_shard *s)
{
	unsigned int i;

	if (!s->in_batch)
		return;
	for (i = 0; i < RTE_DIM(s->batch); i++) {
		struct twq_batch *b = &s->batch[i];
		uint32_t head, tail;

		if (b->count == 0)
			continue;
		twq_ring_sort(&s->fam[i], b, &head, &tail);
		twq_ring_merge(&s->fam[i], head, tail);
		b->count = 0;
	}
	s->in_batch = false;
}
