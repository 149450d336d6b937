/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TWQ_PVT_H
#define TWQ_PVT_H

/*
 * Internal layout of a shard. Not installed; only lib/twq includes it.
 *
 * Each address family has its own pool, so that an IPv4 entry pays only for an IPv4 key:
 * 52 bytes of entry plus 4 to 6 bytes of hash bucket. Inside a pool an entry is named by its
 * index; ids given out are index + the family's id_base (0 for IPv4, capacity for IPv6).
 * Links (hash chain, ring, free list) are 32-bit indexes, not pointers.
 */

#include <stdint.h>

#include <rte_common.h>

#include "twq.h"

/** End of a chain or ring. */
#define TWQ_NIL UINT32_MAX

/** Entry flags. */
#define TWQ_EF_LIVE 0x01 /* in the index and on the ring */
#define TWQ_EF_TS   0x02 /* both sides used timestamps: replies carry TSval/TSecr */

/* The part every entry has: 40 bytes. */
struct twq_entry {
	/* fields used in lookup */
	uint32_t hnext;         /* next index in the hash chain */
	/* 2MSL ring, oldest at the head */
	uint32_t prev;
	uint32_t next;          /* also the free list */
	uint32_t deadline;      /* ms, modulo 2^32 (the seed's tw_time) */
	/* what replies are made of */
	uint32_t snd_nxt;
	uint32_t rcv_nxt;
	uint32_t t_recent;
	uint32_t ts_offset;
	/* per-entry ACK cap */
	uint32_t ack_epoch;     /* start of the current interval, ms */
	uint16_t last_win;
	uint8_t flags;          /* TWQ_EF_* */
	uint8_t ack_count;      /* ACKs sent in the current interval */
};

struct twq_entry4 {
	struct twq_entry e;
	uint32_t laddr;         /* network order */
	uint32_t raddr;
	uint16_t lport;         /* host order */
	uint16_t rport;
};

struct twq_entry6 {
	struct twq_entry e;
	uint8_t laddr[16];
	uint8_t raddr[16];
	uint16_t lport;
	uint16_t rport;
};

/* One address family's pool, index and ring. */
struct twq_fam {
	uint8_t *base;          /* cap entries of stride bytes */
	uint32_t *buckets;      /* heads of hash chains, TWQ_NIL when empty */
	uint32_t bucket_mask;
	uint32_t stride;
	uint32_t cap;
	uint32_t count;
	uint32_t id_base;
	uint32_t free_head;
	uint32_t head;          /* oldest */
	uint32_t tail;          /* newest */
};

struct twq_shard {
	struct twq_fam fam[2];  /* [0] IPv4, [1] IPv6 */
	uint32_t two_msl;       /* ms */
	uint32_t hash_seed;     /* random per shard: peers cannot aim at one chain */
	struct twq_params p;
	size_t mem;
	uint64_t ctr[TWQ_CTR_MAX] __rte_cache_aligned;
};

static inline struct twq_entry *
twq_ent(const struct twq_fam *f, uint32_t idx)
{
	return (struct twq_entry *)(f->base + (size_t)idx * f->stride);
}

/* Counters have one writer (the shard's owner); readers use relaxed loads. */
static inline void
twq_ctr_add(struct twq_shard *s, enum twq_counter c, uint64_t n)
{
	__atomic_store_n(&s->ctr[c], s->ctr[c] + n, __ATOMIC_RELAXED);
}

static inline void
twq_ctr_inc(struct twq_shard *s, enum twq_counter c)
{
	twq_ctr_add(s, c, 1);
}

/* Resolve an id to its family and index; NULL if out of range or not live. */
static inline struct twq_entry *
twq_id_entry(const struct twq_shard *s, uint32_t id, const struct twq_fam **fp, uint32_t *idxp)
{
	const struct twq_fam *f = &s->fam[0];
	struct twq_entry *e;

	if (id >= f->cap) {
		f = &s->fam[1];
		if (id - f->id_base >= f->cap)
			return NULL;
	}
	e = twq_ent(f, id - f->id_base);
	if (!(e->flags & TWQ_EF_LIVE))
		return NULL;
	*fp = f;
	*idxp = id - f->id_base;
	return e;
}

/* twq_shard.c */
uint32_t twq_hash_key(const struct twq_shard *s, const struct twq_key *k);
uint32_t twq_find(const struct twq_shard *s, const struct twq_key *k, uint32_t hash);
uint32_t twq_alloc(struct twq_shard *s, const struct twq_key *k, uint32_t hash);
void twq_unlink(struct twq_shard *s, struct twq_fam *f, uint32_t idx);
void twq_ring_append(struct twq_fam *f, uint32_t idx);
void twq_ring_remove(struct twq_fam *f, uint32_t idx);

#endif /* TWQ_PVT_H */
