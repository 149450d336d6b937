/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * A shard's memory: create and free, its parameters, sizes and counters. The rest of the
 * shard is in one file per concern: twq_index.c (the hash index and its slots), twq_ring.c
 * (sorting restored entries onto the 2MSL ring), twq_expire.c (expire, recycle, close),
 * twq_restore.c (restore in batches), twq_walk.c (reading entries out), twq_input.c
 * (entering TIME_WAIT and answering segments in it).
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "twq.h"
#include "twq_pvt.h"

/* One bucket of 10 slots per 7 entries of capacity: at most 70 % full. */
static uint32_t
bucket_count(uint32_t cap)
{
	return RTE_MAX((cap + TWQ_ENTRIES_PER_BUCKET - 1) / TWQ_ENTRIES_PER_BUCKET, 2u);
}

static uint32_t
floor_cap(uint32_t cap)
{
	return RTE_MAX(cap, TWQ_CAPACITY_MIN);
}

static size_t
fam_bytes(uint32_t cap, uint32_t stride)
{
	return (size_t)cap * (stride + sizeof(struct twq_link)) +
			(size_t)bucket_count(cap) * sizeof(struct twq_bucket);
}

size_t
twq_shard_memory_needed(uint32_t capacity, uint32_t capacity6)
{
	return sizeof(struct twq_shard) +
			fam_bytes(floor_cap(capacity), sizeof(struct twq_entry4)) +
			fam_bytes(floor_cap(capacity6), sizeof(struct twq_entry6));
}

static int
fam_init(struct twq_fam *f, const struct twq_params *p, uint32_t cap, uint32_t stride,
		uint32_t id_base)
{
	uint32_t i, nb = bucket_count(cap);

	f->base = rte_zmalloc_socket(
			p->name, (size_t)cap * stride, RTE_CACHE_LINE_SIZE, p->socket_id);
	f->link = rte_zmalloc_socket(p->name, (size_t)cap * sizeof(struct twq_link),
			RTE_CACHE_LINE_SIZE, p->socket_id);
	f->buckets = rte_zmalloc_socket(p->name, (size_t)nb * sizeof(struct twq_bucket),
			RTE_CACHE_LINE_SIZE, p->socket_id);
	if (f->base == NULL || f->link == NULL || f->buckets == NULL)
		return -ENOMEM;
	f->n_buckets = nb;
	f->stride = stride;
	f->cap = cap;
	f->count = 0;
	f->id_base = id_base;
	f->head = TWQ_NIL;
	f->tail = TWQ_NIL;
	f->free_head = 0;
	for (i = 0; i < cap; i++)
		twq_lnk(f, i)->next = i + 1 < cap ? i + 1 : TWQ_NIL;
	return 0;
}

static bool
params_valid(const struct twq_params *p)
{
	uint32_t i;

	if (p->msl_ms == 0 || p->msl_ms > TWQ_MSL_MAX_MS)
		return false;
	if (p->capacity > TWQ_CAPACITY_MAX || p->capacity6 > TWQ_CAPACITY_MAX)
		return false;
	if (p->ack_limit > UINT8_MAX || (p->ack_limit != 0 && p->ack_interval_ms == 0))
		return false;
	if (p->n_local > TWQ_MAX_LOCAL_PREFIXES)
		return false;
	for (i = 0; i < p->n_local; i++)
		if (p->local[i].len > (p->local[i].is_ipv6 ? 128 : 32))
			return false;
	return true;
}

struct twq_shard *
twq_shard_create(const struct twq_params *p)
{
	struct twq_shard *s;
	uint32_t cap4, cap6;

	if (p == NULL || !params_valid(p)) {
		rte_errno = EINVAL;
		return NULL;
	}
	s = rte_zmalloc_socket(p->name, sizeof(*s), RTE_CACHE_LINE_SIZE, p->socket_id);
	if (s == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	s->p = *p;
	cap4 = floor_cap(p->capacity);
	cap6 = floor_cap(p->capacity6);
	s->p.capacity = cap4;
	s->p.capacity6 = cap6;
	s->two_msl = 2 * p->msl_ms;
	s->hash_seed = (uint32_t)rte_rand();
	if (fam_init(&s->fam[0], p, cap4, sizeof(struct twq_entry4), 0) < 0 ||
			fam_init(&s->fam[1], p, cap6, sizeof(struct twq_entry6), cap4) < 0) {
		twq_shard_free(s);
		rte_errno = ENOMEM;
		return NULL;
	}
	s->mem = twq_shard_memory_needed(cap4, cap6);
	return s;
}

void
twq_shard_free(struct twq_shard *s)
{
	unsigned int i;

	if (s == NULL)
		return;
	for (i = 0; i < RTE_DIM(s->fam); i++) {
		rte_free(s->fam[i].base);
		rte_free(s->fam[i].link);
		rte_free(s->fam[i].buckets);
	}
	rte_free(s);
}

const struct twq_params *
twq_shard_params(const struct twq_shard *s)
{
	return &s->p;
}

uint32_t
twq_shard_count(const struct twq_shard *s, int is_ipv6)
{
	if (is_ipv6 < 0)
		return s->fam[0].count + s->fam[1].count;
	return s->fam[!!is_ipv6].count;
}

size_t
twq_shard_memory(const struct twq_shard *s)
{
	return s->mem;
}

void
twq_counters_read(const struct twq_shard *s, uint64_t out[TWQ_CTR_MAX])
{
	unsigned int i;

	for (i = 0; i < TWQ_CTR_MAX; i++)
		out[i] = __atomic_load_n(&s->ctr[i], __ATOMIC_RELAXED);
}
