/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * A shard's memory, its hash index, its 2MSL rings and the walks over them: create, free,
 * lookup, expire (tcp_tw_2msl_scan(0)), recycle (tcp_tw_2msl_scan(1)), close (tcp_twclose),
 * restore and foreach.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
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

static void
key_get(const struct twq_fam *f, uint32_t idx, int v6, struct twq_key *k)
{
	memset(k, 0, sizeof(*k));
	k->is_ipv6 = (uint8_t)v6;
	if (!v6) {
		const struct twq_entry4 *e = (const struct twq_entry4 *)twq_ent(f, idx);

		k->laddr.v4 = e->laddr;
		k->raddr.v4 = e->raddr;
		k->lport = e->lport;
		k->rport = e->rport;
		return;
	}
	const struct twq_entry6 *e = (const struct twq_entry6 *)twq_ent(f, idx);

	memcpy(k->laddr.v6, e->laddr, 16);
	memcpy(k->raddr.v6, e->raddr, 16);
	k->lport = e->lport;
	k->rport = e->rport;
}

static void
key_set(struct twq_fam *f, uint32_t idx, const struct twq_key *k)
{
	if (!k->is_ipv6) {
		struct twq_entry4 *e = (struct twq_entry4 *)twq_ent(f, idx);

		e->laddr = k->laddr.v4;
		e->raddr = k->raddr.v4;
		e->lport = k->lport;
		e->rport = k->rport;
		return;
	}
	struct twq_entry6 *e = (struct twq_entry6 *)twq_ent(f, idx);

	memcpy(e->laddr, k->laddr.v6, 16);
	memcpy(e->raddr, k->raddr.v6, 16);
	e->lport = k->lport;
	e->rport = k->rport;
}

uint32_t
twq_lookup(struct twq_shard *s, const struct twq_key *k)
{
	uint32_t id = twq_find(s, k, twq_hash_key(s, k));

	twq_ctr_inc(s, id == TWQ_ID_NONE ? TWQ_CTR_LOOKUP_MISS : TWQ_CTR_LOOKUP_HIT);
	return id;
}

/*
 * Lookups in groups: hash every key and prefetch its home bucket; then compare tags and
 * prefetch the hot records whose tag matches (or, when no tag matches and keys went past the
 * bucket, the next bucket); then compare keys. A key not in its home bucket (the bucket
 * overflowed) is looked for further on.
 */
#define TWQ_LOOKUP_GROUP 32

void
twq_lookup_burst(struct twq_shard *s, const struct twq_key *keys, uint32_t n, uint32_t *ids)
{
	uint32_t hash[TWQ_LOOKUP_GROUP], match[TWQ_LOOKUP_GROUP];
	const struct twq_bucket *bk[TWQ_LOOKUP_GROUP];
	uint32_t i, base, cnt, hits = 0;

	for (base = 0; base < n; base += cnt) {
		cnt = RTE_MIN(n - base, (uint32_t)TWQ_LOOKUP_GROUP);
		for (i = 0; i < cnt; i++) {
			const struct twq_key *k = &keys[base + i];
			const struct twq_fam *f = &s->fam[!!k->is_ipv6];

			hash[i] = twq_hash_key(s, k);
			bk[i] = &f->buckets[twq_home(f, hash[i])];
			rte_prefetch0(bk[i]);
		}
		for (i = 0; i < cnt; i++) {
			const struct twq_fam *f = &s->fam[!!keys[base + i].is_ipv6];
			uint32_t m;

			match[i] = m = twq_tag_match(bk[i], twq_tag(hash[i]));
			while (m != 0) {
				/* A hot record is one aligned line or less. */
				rte_prefetch0(twq_ent(f, bk[i]->idx[__builtin_ctz(m)]));
				m &= m - 1;
			}
			/* No tag here but keys went past: the walk goes on to the next bucket. */
			if (match[i] == 0 && bk[i]->overflow != 0)
				rte_prefetch0(&f->buckets[twq_next_bucket(
						f, (uint32_t)(bk[i] - f->buckets))]);
		}
		for (i = 0; i < cnt; i++) {
			const struct twq_key *k = &keys[base + i];
			const struct twq_fam *f = &s->fam[!!k->is_ipv6];
			uint32_t m = match[i], id = TWQ_ID_NONE;

			while (m != 0) {
				uint32_t idx = bk[i]->idx[__builtin_ctz(m)];

				if (twq_key_eq(f, idx, k, k->is_ipv6)) {
					id = f->id_base + idx;
					break;
				}
				m &= m - 1;
			}
			if (id == TWQ_ID_NONE && bk[i]->overflow != 0)
				id = twq_find_from(f, k, twq_tag(hash[i]),
						twq_next_bucket(f, (uint32_t)(bk[i] - f->buckets)));
			ids[base + i] = id;
			hits += id != TWQ_ID_NONE;
		}
	}
	twq_ctr_add(s, TWQ_CTR_LOOKUP_HIT, hits);
	twq_ctr_add(s, TWQ_CTR_LOOKUP_MISS, n - hits);
}

/*
 * The 2MSL ring: a doubly linked list of indexes, oldest at the head. Every deadline given is
 * now + 2MSL or less and the clock does not go back, so appending keeps the ring in order
 * (the seed's TAILQ_INSERT_TAIL in tcp_tw_2msl_reset).
 */
void
twq_ring_append(struct twq_fam *f, uint32_t idx)
{
	struct twq_link *e = twq_lnk(f, idx);

	e->next = TWQ_NIL;
	e->prev = f->tail;
	if (f->tail == TWQ_NIL)
		f->head = idx;
	else
		twq_lnk(f, f->tail)->next = idx;
	f->tail = idx;
}

/* Insert by deadline, searching from the tail: O(1) when deadlines come in order. */
static void
ring_insert_sorted(struct twq_fam *f, uint32_t idx)
{
	struct twq_link *e = twq_lnk(f, idx);
	uint32_t after = f->tail;

	while (after != TWQ_NIL && (int32_t)(twq_lnk(f, after)->deadline - e->deadline) > 0)
		after = twq_lnk(f, after)->prev;
	if (after == f->tail) {
		twq_ring_append(f, idx);
		return;
	}
	e->prev = after;
	if (after == TWQ_NIL) {
		e->next = f->head;
		f->head = idx;
	} else {
		e->next = twq_lnk(f, after)->next;
		twq_lnk(f, after)->next = idx;
	}
	twq_lnk(f, e->next)->prev = idx;
}

void
twq_ring_remove(struct twq_fam *f, uint32_t idx)
{
	struct twq_link *e = twq_lnk(f, idx);

	if (e->prev == TWQ_NIL)
		f->head = e->next;
	else
		twq_lnk(f, e->prev)->next = e->next;
	if (e->next == TWQ_NIL)
		f->tail = e->prev;
	else
		twq_lnk(f, e->next)->prev = e->prev;
}

/* Remove an index from the buckets, from its home on: the slot is found by index alone. */
static void
index_remove(struct twq_fam *f, uint32_t idx, uint32_t hash)
{
	uint32_t b = twq_home(f, hash), i, left;

	/* A live entry is always found within one lap; the bound only guards the loop. */
	for (left = f->n_buckets; left > 0; left--) {
		struct twq_bucket *bk = &f->buckets[b];

		for (i = 0; i < TWQ_BUCKET_SLOTS; i++) {
			if (bk->tag[i] != 0 && bk->idx[i] == idx) {
				bk->tag[i] = 0;
				return;
			}
		}
		/* It passed this bucket by when it was inserted. */
		RTE_ASSERT(bk->overflow > 0);
		bk->overflow--;
		b = twq_next_bucket(f, b);
	}
	RTE_ASSERT(0);
}

static void
index_insert(struct twq_fam *f, uint32_t idx, uint32_t hash)
{
	uint32_t b = twq_home(f, hash), i;
	uint16_t tag = twq_tag(hash);

	for (;;) {
		struct twq_bucket *bk = &f->buckets[b];
		uint32_t m = twq_tag_match(bk, 0);

		if (m != 0) {
			i = (uint32_t)__builtin_ctz(m);
			bk->tag[i] = tag;
			bk->idx[i] = idx;
			return;
		}
		/* Full: go on to the next bucket (there is room: buckets are at most 70 % full). */
		bk->overflow++;
		b = twq_next_bucket(f, b);
	}
}

static uint32_t
entry_hash(const struct twq_shard *s, const struct twq_fam *f, uint32_t idx)
{
	struct twq_key k;

	key_get(f, idx, f != &s->fam[0], &k);
	return twq_hash_key(s, &k);
}

/* As twq_unlink, with the entry's hash already known. */
static void
unlink_hashed(struct twq_fam *f, uint32_t idx, uint32_t hash)
{
	index_remove(f, idx, hash);
	twq_ring_remove(f, idx);
	twq_ent(f, idx)->flags = 0;
	twq_lnk(f, idx)->next = f->free_head;
	f->free_head = idx;
	f->count--;
}

/* Take an entry out of the index and the ring and put it on the free list (tcp_twclose). */
void
twq_unlink(struct twq_shard *s, struct twq_fam *f, uint32_t idx)
{
	unlink_hashed(f, idx, entry_hash(s, f, idx));
}

/*
 * A slot for a new key: from the free list or, when the family is full, the oldest entry
 * (the seed's tcp_tw_2msl_scan(1) from tcp_twstart). The slot is put in the index and marked
 * live; the caller fills it and puts it on the ring.
 */
uint32_t
twq_alloc(struct twq_shard *s, const struct twq_key *k, uint32_t hash)
{
	struct twq_fam *f = &s->fam[!!k->is_ipv6];
	struct twq_entry *e;
	uint32_t idx;

	if (f->free_head == TWQ_NIL) {
		twq_unlink(s, f, f->head);
		twq_ctr_inc(s, TWQ_CTR_RECYCLED);
	}
	idx = f->free_head;
	e = twq_ent(f, idx);
	f->free_head = twq_lnk(f, idx)->next;
	/* No clearing: the caller sets every field of both records (start, restore). */
	key_set(f, idx, k);
	index_insert(f, idx, hash);
	e->flags = TWQ_EF_LIVE;
	f->count++;
	return f->id_base + idx;
}

int
twq_close(struct twq_shard *s, uint32_t id)
{
	const struct twq_fam *f;
	uint32_t idx;

	if (twq_id_entry(s, id, &f, &idx) == NULL)
		return -EINVAL;
	twq_unlink(s, (struct twq_fam *)(uintptr_t)f, idx);
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

uint32_t
twq_expire(struct twq_shard *s, uint64_t now_ms, uint32_t budget)
{
	uint32_t now = (uint32_t)now_ms, done = 0, hash = 0;
	struct twq_fam *f, *hf = NULL;

	while (done < budget && (f = oldest_due(s, now)) != NULL) {
		uint32_t head = f->head, n1 = twq_lnk(f, head)->next, n1_hash = 0;

		/* The head's hash was taken one round ago, unless the family changed. */
		if (hf != f)
			hash = entry_hash(s, f, head);
		/*
		 * What expires next is the head's successor: its records were prefetched one
		 * round ago, so hash its key now and prefetch its bucket, and prefetch both
		 * records of the entry after it.
		 */
		if (n1 != TWQ_NIL) {
			uint32_t n2 = twq_lnk(f, n1)->next;

			n1_hash = entry_hash(s, f, n1);
			rte_prefetch0(&f->buckets[twq_home(f, n1_hash)]);
			if (n2 != TWQ_NIL) {
				rte_prefetch0(twq_lnk(f, n2));
				rte_prefetch0(twq_ent(f, n2));
			}
		}
		unlink_hashed(f, head, hash);
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

static void
info_fill(const struct twq_fam *f, uint32_t idx, int v6, uint32_t now, struct twq_entry_info *info)
{
	const struct twq_entry *e = twq_ent(f, idx);
	int32_t left = (int32_t)(twq_lnk(f, idx)->deadline - now);

	key_get(f, idx, v6, &info->key);
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

uint32_t
twq_restore(struct twq_shard *s, const struct twq_entry_info *info, uint64_t now_ms)
{
	const struct twq_key *k = &info->key;
	struct twq_fam *f = &s->fam[!!k->is_ipv6];
	uint32_t hash, id, idx;
	struct twq_entry *e;

	if (info->remaining_ms == 0)
		return TWQ_ID_NONE;
	hash = twq_hash_key(s, k);
	id = twq_find(s, k, hash);
	if (id != TWQ_ID_NONE) {
		twq_ring_remove(f, id - f->id_base);
		twq_ctr_inc(s, TWQ_CTR_START_REPLACED);
	} else {
		id = twq_alloc(s, k, hash);
	}
	idx = id - f->id_base;
	e = twq_ent(f, idx);
	e->snd_nxt = info->snd_nxt;
	e->rcv_nxt = info->rcv_nxt;
	e->last_win = info->last_win;
	e->flags = TWQ_EF_LIVE | (info->has_ts ? TWQ_EF_TS : 0);
	e->t_recent = info->has_ts ? info->t_recent : 0;
	e->ts_offset = info->has_ts ? info->ts_offset : 0;
	e->ack_count = 0;
	twq_lnk(f, idx)->ack_epoch = (uint32_t)now_ms;
	twq_lnk(f, idx)->deadline = (uint32_t)now_ms + RTE_MIN(info->remaining_ms, s->two_msl);
	ring_insert_sorted(f, idx);
	twq_ctr_inc(s, TWQ_CTR_RESTORED);
	return id;
}

void
twq_counters_read(const struct twq_shard *s, uint64_t out[TWQ_CTR_MAX])
{
	unsigned int i;

	for (i = 0; i < TWQ_CTR_MAX; i++)
		out[i] = __atomic_load_n(&s->ctr[i], __ATOMIC_RELAXED);
}
