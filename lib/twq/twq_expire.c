/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Ending entries: expiry in deadline order (the seed's tcp_tw_2msl_scan(0)), recycling the
 * oldest when a family is full (tcp_tw_2msl_scan(1)) and closing one (tcp_twclose).
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_prefetch.h>

#include "twq.h"
#include "twq_pvt.h"

/*
 * tcp_tw_2msl_scan(1): the family's pool is empty and a new entry needs a slot, so the oldest
 * entry of the family (the head of its ring) ends early. Counted in TWQ_CTR_RECYCLED.
 */
void
twq_recycle(struct twq_shard *s, struct twq_fam *f)
{
	TWQ_ASSERT_NO_BATCH(s);
	twq_unlink(s, f, f->head);
	twq_ctr_inc(s, TWQ_CTR_RECYCLED);
}

int
twq_close(struct twq_shard *s, uint32_t id)
{
	struct twq_fam *f;
	uint32_t idx;

	TWQ_ASSERT_NO_BATCH(s);
	if (twq_id_entry_rw(s, id, &f, &idx) == NULL)
		return -EINVAL;
	twq_unlink(s, f, idx);
	twq_ctr_inc(s, TWQ_CTR_CLOSED);
	return 0;
}

/* The family whose oldest entry is due first, or NULL when neither is due. */
static struct twq_fam *
oldest_due(struct twq_shard *s, uint32_t now)
{
	struct twq_fam *best = NULL;
	int32_t best_left = 1;
	unsigned int i;

	for (i = 0; i < RTE_DIM(s->fam); i++) {
		struct twq_fam *f = &s->fam[i];
		int32_t left;

		if (f->head == TWQ_NIL)
			continue;
		left = (int32_t)(twq_lnk(f, f->head)->deadline - now);
		if (left <= 0 && (best == NULL || left < best_left)) {
			best = f;
			best_left = left;
		}
	}
	return best;
}

/* tcp_tw_2msl_scan(0). */
uint32_t
twq_expire(struct twq_shard *s, uint64_t now_ms, uint32_t budget)
{
	uint32_t now = (uint32_t)now_ms, done = 0, hash = 0;
	struct twq_fam *f, *hf = NULL;

	TWQ_ASSERT_NO_BATCH(s);
	while (done < budget && (f = oldest_due(s, now)) != NULL) {
		uint32_t head = f->head, n1 = twq_lnk(f, head)->next, n1_hash = 0;

		/* The head's hash was taken one round ago, unless the family changed. */
		if (hf != f)
			hash = twq_entry_hash(s, f, head);
		/*
		 * What expires next is the head's successor: its records were prefetched one
		 * round ago, so hash its key now and prefetch its bucket, and prefetch both
		 * records of the entry after it.
		 */
		if (n1 != TWQ_NIL) {
			uint32_t n2 = twq_lnk(f, n1)->next;

			n1_hash = twq_entry_hash(s, f, n1);
			rte_prefetch0(&f->buckets[twq_home(f, n1_hash)]);
			if (n2 != TWQ_NIL) {
				rte_prefetch0(twq_lnk(f, n2));
				rte_prefetch0(twq_ent(f, n2));
			}
		}
		twq_unlink_hashed(f, head, hash);
		hash = n1_hash;
		hf = n1 != TWQ_NIL ? f : NULL;
		done++;
	}
	twq_ctr_add(s, TWQ_CTR_EXPIRED, done);
	return done;
}

uint32_t
twq_next_due_ms(const struct twq_shard *s, uint64_t now_ms)
{
	uint32_t now = (uint32_t)now_ms, best = UINT32_MAX;
	unsigned int i;

	TWQ_ASSERT_NO_BATCH(s);
	for (i = 0; i < RTE_DIM(s->fam); i++) {
		const struct twq_fam *f = &s->fam[i];
		int32_t left;

		if (f->head == TWQ_NIL)
			continue;
		left = (int32_t)(twq_lnk(f, f->head)->deadline - now);
		best = RTE_MIN(best, left <= 0 ? 0u : (uint32_t)left);
	}
	return best;
}
