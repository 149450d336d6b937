/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TWQ_PVT_H
#define TWQ_PVT_H

/*
 * Internal layout of a shard. Not installed; only lib/twq includes it.
 *
 * Each address family has its own pool, so that an IPv4 entry pays only for an IPv4 key:
 * a 32-byte hot record, a 16-byte link record and its share of the index (one 64-byte bucket
 * per 7 entries of capacity: 9.1 bytes; IPv6: 64 + 16 + 9.1). Inside a pool an entry is
 * named by its index; ids given out are index + the family's id_base (0 for IPv4, capacity
 * for IPv6). Links (ring, free list) are 32-bit indexes, not pointers.
 *
 * The index is an array of cache-line buckets, one per 7 entries of capacity. A bucket holds
 * up to 10 (tag, index) pairs: the tag is 15 bits of the key's hash, so a lookup compares
 * tags in one cache line and reads an entry only when its tag matches (one in 32768 for a
 * wrong key). A key lives in its home bucket or, when that is full, in the next bucket with
 * room (linear probing); each bucket counts the keys that passed it by ("overflow"), so a
 * lookup stops at the first bucket whose count is 0, and removal needs no tombstones.
 */

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_hash_crc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(RTE_ARCH_X86) && defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

#include <rte_log.h>

#include "twq.h"

/** lib/twq's log type, "twq.lib" (twq_shard.c): errors of set-up calls, never per packet. */
extern int twq_logtype;

/** A message of lib/twq at @p level (an RTE_LOG_ level without the prefix). */
#define TWQ_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, twq_logtype, "TWQ.LIB: " fmt "\n", ##__VA_ARGS__)

/** End of a chain or ring. */
#define TWQ_NIL UINT32_MAX

/** Entry flags. */
/*
 * Both sides used timestamps: replies carry TSval/TSecr. Two bits, always set and cleared
 * together: bit 0 is the reply's has_ts and bit 7 the sign of the word twq_respond() reads.
 */
#define TWQ_EF_TS   0x81
#define TWQ_EF_LIVE 0x02 /* in the index and on the ring */

/*
 * An entry is two records at the same index in two arrays. The hot record is all a segment
 * needs: the key to confirm the lookup and what replies are made of; an IPv4 one is 32 bytes,
 * so it never straddles a cache line, and a lookup plus its answer reads exactly two lines
 * (the bucket and the hot record). The link record (16 bytes) holds what only the 2MSL ring
 * and the ACK cap read: ring links, the deadline, the cap's interval start.
 */
struct twq_entry {
	uint32_t snd_nxt;
	uint32_t rcv_nxt;
	uint32_t t_recent;
	uint32_t ts_offset;
	/*
	 * last_win, ack_count, flags: on a little-endian CPU, as one word, the reply's win,
	 * (flags) and has_ts word once masked (twq_respond()): TWQ_EF_TS has bits 0 and 7.
	 */
	uint16_t last_win;
	uint8_t ack_count; /* ACKs sent in the current interval */
	uint8_t flags;     /* TWQ_EF_* */
};

struct twq_entry4 {
	struct twq_entry e;
	uint32_t laddr; /* network order */
	uint32_t raddr;
	uint16_t lport; /* host order */
	uint16_t rport;
};

struct twq_entry6 {
	struct twq_entry e;
	uint8_t laddr[16];
	uint8_t raddr[16];
	uint16_t lport;
	uint16_t rport;
	uint8_t pad[8]; /* one cache line, not two */
};

struct twq_link {
	uint32_t prev;      /* 2MSL ring, oldest at the head */
	uint32_t next;      /* also the free list */
	uint32_t deadline;  /* ms, modulo 2^32 (the seed's tw_time) */
	uint32_t ack_epoch; /* start of the current ACK-cap interval, ms */
};

#define TWQ_BUCKET_SLOTS 10
/* Entries of capacity per bucket: 7 of 10 slots, so buckets are at most 70 % full. */
#define TWQ_ENTRIES_PER_BUCKET 7

struct twq_bucket {
	uint16_t tag[TWQ_BUCKET_SLOTS]; /* 0: free slot */
	uint32_t overflow;              /* keys whose home is here, stored in a later bucket */
	uint32_t idx[TWQ_BUCKET_SLOTS]; /* entry index of each used slot */
} __rte_cache_aligned;

static_assert(sizeof(struct twq_entry4) == 32, "IPv4 hot record must stay 32 bytes");
static_assert(sizeof(struct twq_entry6) == 64, "IPv6 hot record must stay one line");
static_assert(sizeof(struct twq_link) == 16, "link record must stay 16 bytes");
static_assert(sizeof(struct twq_bucket) == RTE_CACHE_LINE_SIZE, "a bucket is one cache line");
static_assert(offsetof(struct twq_bucket, tag) == 0 && TWQ_BUCKET_SLOTS <= 16,
		"twq_tag_match reads the tags as the bucket's first 32 bytes");

/* One address family's pool, index and ring. */
struct twq_fam {
	uint8_t *base;         /* cap hot records of stride bytes */
	struct twq_link *link; /* cap link records */
	struct twq_bucket *buckets;
	uint32_t n_buckets;
	uint32_t stride;
	uint32_t cap;
	uint32_t count;
	uint32_t id_base;
	uint32_t free_head;
	uint32_t head; /* oldest */
	uint32_t tail; /* newest */
};

/*
 * A batch of restores of one family (twq_restore_begin .. twq_restore_end): entries in the
 * index and live, not yet on the ring, chained through their link's next in restore order.
 */
struct twq_batch {
	uint32_t head;
	uint32_t tail;
	uint32_t count;
	uint32_t dl_min; /* earliest and latest deadline of the batch (modulo 2^32) */
	uint32_t dl_max;
};

struct twq_shard {
	struct twq_fam fam[2]; /* [0] IPv4, [1] IPv6 */
	uint32_t two_msl;      /* ms */
	uint32_t hash_seed;    /* random per shard: peers cannot aim at one chain */
	struct twq_params p;
	size_t mem;
	struct twq_batch batch[2]; /* per family */
	bool in_batch;             /* between twq_restore_begin and twq_restore_end */
	uint64_t ctr[TWQ_CTR_MAX] __rte_cache_aligned;
};

static inline struct twq_entry *
twq_ent(const struct twq_fam *f, uint32_t idx)
{
	return (struct twq_entry *)(f->base + (size_t)idx * f->stride);
}

/* twq_ent() for the IPv4 family, whose stride is known: no multiplication by a loaded stride. */
static inline struct twq_entry4 *
twq_ent4(const struct twq_fam *f, uint32_t idx)
{
	return (struct twq_entry4 *)(void *)f->base + idx;
}

/* twq_ent() when the family is known from the key (v6: 1 for IPv6): a shift, no load. */
static inline struct twq_entry *
twq_ent_fam(const struct twq_fam *f, uint32_t idx, int v6)
{
	static_assert(sizeof(struct twq_entry6) == 2 * sizeof(struct twq_entry4),
			"twq_ent_fam shifts by one more for IPv6");
	return (struct twq_entry *)(void *)(f->base + ((size_t)idx << (v6 ? 6 : 5)));
}

static inline struct twq_link *
twq_lnk(const struct twq_fam *f, uint32_t idx)
{
	return &f->link[idx];
}

/*
 * What a restore batch forbids: calls that change the ring or read it for deadlines, which
 * would not see the batch's entries (twq.h, twq_restore_begin). Checked in debug builds.
 */
#define TWQ_ASSERT_NO_BATCH(s) assert(!(s)->in_batch)

/*
 * The 2MSL ring: a doubly linked list of indexes, oldest at the head. Every deadline given is
 * now + 2MSL or less and the clock does not go back, so appending keeps the ring in order
 * (the seed's TAILQ_INSERT_TAIL in tcp_tw_2msl_reset). Restored entries, whose deadlines can
 * be anything up to now + 2MSL, are merged in by twq_ring_merge (twq_ring.c).
 */
static inline void
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

static inline void
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

static inline void
twq_ctr_sub(struct twq_shard *s, enum twq_counter c, uint64_t n)
{
	__atomic_store_n(&s->ctr[c], s->ctr[c] - n, __ATOMIC_RELAXED);
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

/* As twq_id_entry, for a caller that changes the shard (the same code, without const). */
static inline struct twq_entry *
twq_id_entry_rw(struct twq_shard *s, uint32_t id, struct twq_fam **fp, uint32_t *idxp)
{
	struct twq_fam *f = &s->fam[0];
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

/*
 * CRC32C of one 32-bit word. Built for SSE4.2 (DPDK's x86 baseline, -march=corei7, has it):
 * the instruction itself; rte_hash_crc_4byte() would test at run time, per word, which
 * implementation its per-file crc32_alg chose. Otherwise rte_hash_crc_4byte(). Both compute
 * the same CRC32C: a key hashes the same in every file of lib/twq.
 */
static inline uint32_t
twq_crc4(uint32_t data, uint32_t init)
{
#if defined(RTE_ARCH_X86) && defined(__SSE4_2__)
	return _mm_crc32_u32(init, data);
#else
	return rte_hash_crc_4byte(data, init);
#endif
}

/*
 * Hash and compare. IPv4 keys are three 32-bit words; IPv6 keys nine. DPDK's CRC32C with a
 * random seed per shard.
 */
static inline uint32_t
twq_hash_key(const struct twq_shard *s, const struct twq_key *k)
{
	uint32_t ports = ((uint32_t)k->lport << 16) | k->rport;
	uint32_t h = twq_crc4(ports, s->hash_seed);

	if (!k->is_ipv6) {
		h = twq_crc4(k->laddr.v4, h);
		return twq_crc4(k->raddr.v4, h);
	}
	h = rte_hash_crc(k->laddr.v6, sizeof(k->laddr.v6), h);
	return rte_hash_crc(k->raddr.v6, sizeof(k->raddr.v6), h);
}

/* Home bucket: the hash's range reduced by multiplication (no power of two needed). */
static inline uint32_t
twq_home(const struct twq_fam *f, uint32_t hash)
{
	return (uint32_t)(((uint64_t)hash * f->n_buckets) >> 32);
}

/*
 * A slot's tag: the hash's low 15 bits with the top bit set, so never 0 (a free slot) and no
 * test for it, one OR. A wrong key's tag matches one in 32768.
 */
static inline uint16_t
twq_tag(uint32_t hash)
{
	return (uint16_t)(hash | 0x8000);
}

static inline uint32_t
twq_next_bucket(const struct twq_fam *f, uint32_t b)
{
	return b + 1 == f->n_buckets ? 0 : b + 1;
}

/*
 * Slots of a bucket whose tag matches, as a bit mask (bit i for slot i). With SSE2: the two
 * halves of the bucket's first 32 bytes compared as 16-bit lanes, packed to bytes, one
 * movemask; lanes past the tenth (the overflow count, the first indexes) are masked off.
 */
static inline uint32_t
twq_tag_match(const struct twq_bucket *bk, uint16_t tag)
{
#ifdef __SSE2__
	const __m128i t = _mm_set1_epi16((short)tag);
	const __m128i lo = _mm_load_si128((const __m128i *)(const void *)bk);
	const __m128i hi = _mm_load_si128((const __m128i *)(const void *)bk + 1);
	const __m128i eq = _mm_packs_epi16(_mm_cmpeq_epi16(lo, t), _mm_cmpeq_epi16(hi, t));

	return (uint32_t)_mm_movemask_epi8(eq) & ((1u << TWQ_BUCKET_SLOTS) - 1);
#else
	uint32_t i, m = 0;

	for (i = 0; i < TWQ_BUCKET_SLOTS; i++)
		m |= (uint32_t)(bk->tag[i] == tag) << i;
	return m;
#endif
}

/* The key of a stored entry. */
static inline void
twq_key_get(const struct twq_fam *f, uint32_t idx, int v6, struct twq_key *k)
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

/* The hash of a stored entry's key (to remove it from the index). */
static inline uint32_t
twq_entry_hash(const struct twq_shard *s, const struct twq_fam *f, uint32_t idx)
{
	struct twq_key k;

	twq_key_get(f, idx, f != &s->fam[0], &k);
	return twq_hash_key(s, &k);
}

static inline bool
twq_key_eq(const struct twq_fam *f, uint32_t idx, const struct twq_key *k, int v6)
{
	if (!v6) {
		const struct twq_entry4 *e = (const struct twq_entry4 *)twq_ent(f, idx);
		uint32_t ports = ((uint32_t)k->lport << 16) | k->rport;
		uint32_t eports = ((uint32_t)e->lport << 16) | e->rport;

		return ((e->laddr ^ k->laddr.v4) | (e->raddr ^ k->raddr.v4) | (eports ^ ports)) ==
				0;
	}
	const struct twq_entry6 *e = (const struct twq_entry6 *)twq_ent(f, idx);

	return e->lport == k->lport && e->rport == k->rport &&
			memcmp(e->laddr, k->laddr.v6, 16) == 0 &&
			memcmp(e->raddr, k->raddr.v6, 16) == 0;
}

/*
 * Look for a key from bucket b on; returns the global id or TWQ_ID_NONE. The walk stops at
 * the first bucket that no key passed by, and in any case after one lap: when every bucket
 * has overflowed (possible in a small, full table with churn) a missing key would otherwise
 * loop for ever.
 */
static inline uint32_t
twq_find_from(const struct twq_fam *f, const struct twq_key *k, uint16_t tag, uint32_t b)
{
	uint32_t left = f->n_buckets;
	int v6 = !!k->is_ipv6;

	for (;;) {
		const struct twq_bucket *bk = &f->buckets[b];
		uint32_t m = twq_tag_match(bk, tag);

		while (m != 0) {
			uint32_t i = (uint32_t)__builtin_ctz(m);

			if (twq_key_eq(f, bk->idx[i], k, v6))
				return f->id_base + bk->idx[i];
			m &= m - 1;
		}
		if (bk->overflow == 0 || --left == 0)
			return TWQ_ID_NONE;
		b = twq_next_bucket(f, b);
	}
}

static inline uint32_t
twq_find(const struct twq_shard *s, const struct twq_key *k, uint32_t hash)
{
	const struct twq_fam *f = &s->fam[!!k->is_ipv6];

	return twq_find_from(f, k, twq_tag(hash), twq_home(f, hash));
}

/*
 * tcp_twrespond(tw, TH_ACK): seq = snd_nxt, ack = rcv_nxt, window = last_win; TSval and
 * TSecr when both sides used timestamps ("if (tw->t_recent && flags == TH_ACK)"; we keep an
 * explicit flag so that a peer whose TSval happens to be 0 still gets its timestamps).
 * Without a branch: the timestamps are masked by the flag, syn_opts, wscale and mss zeroed.
 */
static __rte_always_inline void
twq_respond(const struct twq_entry *e, uint32_t now, struct tcpseg_reply *r)
{
	/* seq and ack are snd_nxt and rcv_nxt, in the same order: one 8-byte copy. */
	RTE_BUILD_BUG_ON(offsetof(struct tcpseg_reply, ack) !=
					offsetof(struct tcpseg_reply, seq) + 4 ||
			offsetof(struct twq_entry, rcv_nxt) !=
					offsetof(struct twq_entry, snd_nxt) + 4);
	memcpy((uint8_t *)r + offsetof(struct tcpseg_reply, seq),
			(const uint8_t *)e + offsetof(struct twq_entry, snd_nxt), 8);
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	/*
	 * The entry's last_win, ack_count, flags as one word ew: the TS flag is its bits 24, where
	 * the reply's has_ts is, and 31, the sign: mask is ew shifted right arithmetically by 31
	 * (GCC and clang), the flag in every bit. The reply's win, flags, has_ts
	 * are ew with ack_count and the other flags masked off and TCPSEG_ACK put in; tsecr and
	 * the syn_opts, wscale, mss after it (all 0) one 8-byte word.
	 */
	RTE_BUILD_BUG_ON(offsetof(struct twq_entry, ack_count) !=
					offsetof(struct twq_entry, last_win) + 2 ||
			offsetof(struct twq_entry, flags) !=
					offsetof(struct twq_entry, last_win) + 3 ||
			TWQ_EF_TS != 0x81);
	RTE_BUILD_BUG_ON(offsetof(struct tcpseg_reply, flags) !=
					offsetof(struct tcpseg_reply, win) + 2 ||
			offsetof(struct tcpseg_reply, has_ts) !=
					offsetof(struct tcpseg_reply, win) + 3);
	RTE_BUILD_BUG_ON(offsetof(struct tcpseg_reply, wscale) !=
					offsetof(struct tcpseg_reply, syn_opts) + 1 ||
			offsetof(struct tcpseg_reply, mss) !=
					offsetof(struct tcpseg_reply, syn_opts) + 2 ||
			sizeof(r->mss) != 2 ||
			offsetof(struct tcpseg_reply, syn_opts) !=
					offsetof(struct tcpseg_reply, tsecr) + 4);
	uint32_t ew;

	memcpy(&ew, (const uint8_t *)e + offsetof(struct twq_entry, last_win), sizeof(ew));
	const uint32_t mask = (uint32_t)((int32_t)ew >> 31);
	const uint32_t w = (ew & (UINT16_MAX | UINT32_C(1) << 24)) | (uint32_t)TCPSEG_ACK << 16;
	const uint32_t tsval = (e->ts_offset + now) & mask;
	const uint64_t z = e->t_recent & mask;

	memcpy((uint8_t *)r + offsetof(struct tcpseg_reply, win), &w, sizeof(w));
	memcpy((uint8_t *)r + offsetof(struct tcpseg_reply, tsval), &tsval, sizeof(tsval));
	memcpy((uint8_t *)r + offsetof(struct tcpseg_reply, tsecr), &z, sizeof(z));
#else
	const uint32_t has_ts = (e->flags & TWQ_EF_TS) != 0;
	const uint32_t mask = -has_ts;

	r->tsval = (now + e->ts_offset) & mask;
	r->tsecr = e->t_recent & mask;
	r->win = e->last_win;
	r->flags = TCPSEG_ACK;
	r->has_ts = (uint8_t)has_ts;
	r->syn_opts = 0;
	r->wscale = 0;
	r->mss = 0;
#endif
}

/*
 * Functions shared between lib/twq's files. Hidden: not exported (version.map keeps every
 * symbol it does not list local too), and called directly, not through the PLT.
 */
#define TWQ_INTERNAL __attribute__((visibility("hidden")))

/* twq_index.c: the index and the slots it maps. */
TWQ_INTERNAL uint32_t twq_claim(
		struct twq_shard *s, const struct twq_key *k, bool may_recycle, bool *found);
TWQ_INTERNAL void twq_unlink(struct twq_shard *s, struct twq_fam *f, uint32_t idx);
TWQ_INTERNAL void twq_unlink_hashed(struct twq_fam *f, uint32_t idx, uint32_t hash);

/* twq_expire.c: ending entries. */
TWQ_INTERNAL void twq_recycle(struct twq_shard *s, struct twq_fam *f);

/* twq_ring.c: putting a sorted batch on the ring. */
TWQ_INTERNAL void twq_ring_sort(
		struct twq_fam *f, const struct twq_batch *b, uint32_t *head, uint32_t *tail);
TWQ_INTERNAL void twq_ring_merge(struct twq_fam *f, uint32_t head, uint32_t tail);

#endif /* TWQ_PVT_H */
