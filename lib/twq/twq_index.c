/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The hash index and the slots it maps: putting a key in and taking it out of the buckets,
 * lookups (counting, burst, and the non-counting peek), and the life of a slot: the
 * find-or-allocate step of twq_start and twq_restore, and the unlink of tcp_twclose.
 * twq_pvt.h has the layout and the inline walk of a lookup (twq_find).
 */

#include <string.h>

#include <rte_common.h>
#include <rte_prefetch.h>

#include "twq.h"
#include "twq_pvt.h"

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

uint32_t
twq_peek(const struct twq_shard *s, const struct twq_key *k)
{
	return twq_find(s, k, twq_hash_key(s, k));
}

/*
 * Lookups in groups: hash every key and prefetch its home bucket; then compare tags and
 * prefetch the hot records whose tag matches (or, when no tag matches and keys went past the
 * bucket, the next bucket); then compare keys. A key not in its home bucket (the bucket
 * overflowed) is looked for further on.
 */
#define TWQ_LOOKUP_GROUP 32

uint32_t
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
	return hits;
}

/* As twq_unlink, with the entry's hash already known (expiry hashes one entry ahead). */
void
twq_unlink_hashed(struct twq_fam *f, uint32_t idx, uint32_t hash)
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
	twq_unlink_hashed(f, idx, twq_entry_hash(s, f, idx));
}

/*
 * A slot for a new key: from the free list or, when the family is full, the oldest entry
 * (twq_recycle, the seed's tcp_tw_2msl_scan(1) from tcp_twstart). The slot is put in the
 * index with its key and marked live; the caller fills it and puts it on the ring.
 */
static uint32_t
twq_alloc(struct twq_shard *s, struct twq_fam *f, const struct twq_key *k, uint32_t hash)
{
	uint32_t idx;

	if (f->free_head == TWQ_NIL)
		twq_recycle(s, f);
	idx = f->free_head;
	f->free_head = twq_lnk(f, idx)->next;
	/* No clearing: the caller sets every field of both records (start, restore). */
	key_set(f, idx, k);
	index_insert(f, idx, hash);
	twq_ent(f, idx)->flags = TWQ_EF_LIVE;
	f->count++;
	return f->id_base + idx;
}

/*
 * Find-or-allocate, the first step of twq_start and twq_restore: the id of the key's live
 * entry (*found = true; it is left as it is, on the ring), or of a new slot for it (*found =
 * false; in the index and live, on no ring, its fields unset). When the family is full, the
 * oldest entry is recycled if may_recycle, and TWQ_ID_NONE is returned otherwise.
 */
uint32_t
twq_claim(struct twq_shard *s, const struct twq_key *k, bool may_recycle, bool *found)
{
	struct twq_fam *f = &s->fam[!!k->is_ipv6];
	uint32_t hash = twq_hash_key(s, k);
	uint32_t id = twq_find(s, k, hash);

	*found = id != TWQ_ID_NONE;
	if (*found)
		return id;
	if (f->free_head == TWQ_NIL && !may_recycle)
		return TWQ_ID_NONE;
	return twq_alloc(s, f, k, hash);
}
