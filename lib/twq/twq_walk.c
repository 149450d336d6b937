/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Reading entries out: one by id, all in ring order (foreach), or all in storage order in
 * resumable slices (walk, for checkpoints taken while the shard keeps working).
 */

#include <errno.h>

#include <rte_common.h>

#include "twq.h"
#include "twq_pvt.h"

static void
info_fill(const struct twq_fam *f, uint32_t idx, int v6, uint32_t now, struct twq_entry_info *info)
{
	const struct twq_entry *e = twq_ent(f, idx);
	int32_t left = (int32_t)(twq_lnk(f, idx)->deadline - now);

	twq_key_get(f, idx, v6, &info->key);
	info->snd_nxt = e->snd_nxt;
	info->rcv_nxt = e->rcv_nxt;
	info->t_recent = e->t_recent;
	info->ts_offset = e->ts_offset;
	info->last_win = e->last_win;
	info->has_ts = !!(e->flags & TWQ_EF_TS);
	info->remaining_ms = left <= 0 ? 0 : (uint32_t)left;
}

int
twq_entry_get(const struct twq_shard *s, uint32_t id, uint64_t now_ms, struct twq_entry_info *info)
{
	const struct twq_fam *f;
	uint32_t idx;

	if (twq_id_entry(s, id, &f, &idx) == NULL)
		return -EINVAL;
	info_fill(f, idx, f != &s->fam[0], (uint32_t)now_ms, info);
	return 0;
}

int
twq_foreach(const struct twq_shard *s, uint64_t now_ms, twq_foreach_cb cb, void *arg)
{
	struct twq_entry_info info;
	unsigned int i;
	uint32_t idx;
	int rc;

	TWQ_ASSERT_NO_BATCH(s);
	for (i = 0; i < RTE_DIM(s->fam); i++) {
		const struct twq_fam *f = &s->fam[i];

		for (idx = f->head; idx != TWQ_NIL; idx = twq_lnk(f, idx)->next) {
			info_fill(f, idx, (int)i, (uint32_t)now_ms, &info);
			rc = cb(&info, arg);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

/*
 * The cursor is the next id to visit: ids are storage order (IPv4 slots 0 .. cap - 1, then
 * IPv6 slots from the IPv6 id_base), and slots never move, so an entry alive between two
 * calls is neither skipped nor seen twice.
 */
int
twq_walk(const struct twq_shard *s, uint64_t *cursor, uint32_t budget, uint64_t now_ms,
		twq_foreach_cb cb, void *arg)
{
	const uint64_t end = (uint64_t)s->fam[0].cap + s->fam[1].cap;
	struct twq_entry_info info;
	uint64_t id = *cursor;
	int rc = 0;

	while (id < end && budget > 0) {
		const struct twq_fam *f = &s->fam[id >= s->fam[1].id_base];
		uint32_t idx = (uint32_t)id - f->id_base;

		id++;
		budget--;
		if (!(twq_ent(f, idx)->flags & TWQ_EF_LIVE))
			continue;
		info_fill(f, idx, f != &s->fam[0], (uint32_t)now_ms, &info);
		rc = cb(&info, arg);
		if (rc != 0)
			break;
	}
	*cursor = id;
	if (rc != 0)
		return rc;
	return id >= end ? 1 : 0;
}
