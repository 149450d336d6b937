/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Putting a batch of restored entries on the 2MSL ring in deadline order, in O(n log n) at
 * worst (O(n) for the usual 2MSL) and in no memory beyond the stack (72 KB): the batch, a
 * list chained through its entries' own ring links, is spread into bins by deadline (a
 * bucket sort: each entry read once or twice, never compared), bins too wide for exact
 * sub-bins are merge sorted through the same links, and the bins are joined in order;
 * twq_ring_merge then merges that chain into the ring from the newest end. The O(1) ring
 * primitives (append, remove) are inline in twq_pvt.h.
 */

#include <rte_common.h>
#include <rte_prefetch.h>

#include "twq.h"
#include "twq_pvt.h"

/*
 * Coarse bins over the batch's deadline range (on the stack, 64 KB, with 8 KB of sub-bins), and the
 * most exact (one millisecond) sub-bins a coarse bin is split into. With the default 2MSL of 60 s a
 * coarse bin is 8 ms wide, so every entry is placed by two appends and never compared; only
 * when a bin spans more than TWQ_SORT_FINE ms (2MSL above about 9 min) are bins merge sorted.
 */
#define TWQ_SORT_BINS  8192u
#define TWQ_SORT_FINE  64u
#define TWQ_SORT_SMALL 64u /* batches this small are merge sorted whole */
#define TWQ_SORT_LANES 16u /* bins whose chains are read in step */

static inline uint32_t
dl(const struct twq_fam *f, uint32_t idx)
{
	return twq_lnk(f, idx)->deadline;
}

/* Merge two lists sorted by deadline, chained by next; on equal deadlines a's come first. */
static uint32_t
merge(const struct twq_fam *f, uint32_t a, uint32_t b)
{
	uint32_t head = TWQ_NIL, *tp = &head;

	while (a != TWQ_NIL && b != TWQ_NIL) {
		if ((int32_t)(dl(f, b) - dl(f, a)) < 0) {
			*tp = b;
			tp = &twq_lnk(f, b)->next;
			b = *tp;
		} else {
			*tp = a;
			tp = &twq_lnk(f, a)->next;
			a = *tp;
		}
	}
	*tp = a != TWQ_NIL ? a : b;
	return head;
}

/*
 * Stable bottom-up merge sort of a list chained by next, ending in TWQ_NIL. part[i] holds a
 * sorted run of 2^i entries, or nothing; each entry taken from the list is merged into the
 * runs like a carry in binary addition, so every run holds entries that came before those
 * of the runs below it, and merges keep the order of equal deadlines.
 */
static uint32_t
sort_list(const struct twq_fam *f, uint32_t list)
{
	uint32_t part[33], cur, i, top = 0;

	while (list != TWQ_NIL) {
		cur = list;
		list = twq_lnk(f, list)->next;
		twq_lnk(f, cur)->next = TWQ_NIL;
		for (i = 0; i < top && part[i] != TWQ_NIL; i++) {
			cur = merge(f, part[i], cur);
			part[i] = TWQ_NIL;
		}
		if (i == top)
			top++;
		part[i] = cur;
	}
	cur = TWQ_NIL;
	for (i = 0; i < top; i++)
		if (part[i] != TWQ_NIL)
			cur = merge(f, part[i], cur);
	return cur;
}

/* Append a sorted list (chained by next) to the chain ending at *tail, setting prev links. */
static void
chain_append(const struct twq_fam *f, uint32_t list, uint32_t *head, uint32_t *tail)
{
	if (list == TWQ_NIL)
		return;
	if (*tail == TWQ_NIL)
		*head = list;
	else
		twq_lnk(f, *tail)->next = list;
	for (; list != TWQ_NIL; list = twq_lnk(f, list)->next) {
		twq_lnk(f, list)->prev = *tail;
		*tail = list;
	}
}

/*
 * Append an entry to bin k (bh: heads, bt: tails; a bin is chained by next and prev, its
 * head's prev is set when bins are joined).
 */
static inline void
bin_put(const struct twq_fam *f, uint32_t *bh, uint32_t *bt, uint32_t k, uint32_t idx)
{
	struct twq_link *l = twq_lnk(f, idx);

	l->next = TWQ_NIL;
	if (bh[k] == TWQ_NIL) {
		bh[k] = idx;
		l->prev = TWQ_NIL;
	} else {
		twq_lnk(f, bt[k])->next = idx;
		l->prev = bt[k];
	}
	bt[k] = idx;
}

/* Join n bins in order onto the chain *head .. *tail. */
static void
bins_join(const struct twq_fam *f, const uint32_t *bh, const uint32_t *bt, uint32_t n,
		uint32_t *head, uint32_t *tail)
{
	uint32_t k;

	for (k = 0; k < n; k++) {
		if (bh[k] == TWQ_NIL)
			continue;
		twq_lnk(f, bh[k])->prev = *tail;
		if (*tail == TWQ_NIL)
			*head = bh[k];
		else
			twq_lnk(f, *tail)->next = bh[k];
		*tail = bt[k];
	}
}

/*
 * Spread coarse bins k0 .. k0 + n - 1 (each w ms wide, w <= TWQ_SORT_FINE) into exact 1 ms
 * sub-bins and join them in order onto the chain. A bin's entries are scattered in memory,
 * so reading its chain is a cache miss per entry, each waiting for the one before: the n
 * chains are walked in step, each prefetching its next entry, so that n misses overlap.
 */
static void
bins_refine(const struct twq_fam *f, const uint32_t *bh, uint32_t k0, uint32_t n, uint32_t base,
		uint32_t w, uint32_t *head, uint32_t *tail)
{
	uint32_t sh[TWQ_SORT_LANES][TWQ_SORT_FINE], st[TWQ_SORT_LANES][TWQ_SORT_FINE];
	uint32_t cur[TWQ_SORT_LANES], l, j, live;

	for (l = 0; l < n; l++) {
		cur[l] = bh[k0 + l];
		for (j = 0; j < w; j++)
			sh[l][j] = TWQ_NIL;
	}
	do {
		live = 0;
		for (l = 0; l < n; l++) {
			uint32_t x = cur[l], nx;

			if (x == TWQ_NIL)
				continue;
			nx = twq_lnk(f, x)->next;
			if (nx != TWQ_NIL)
				rte_prefetch0(twq_lnk(f, nx));
			bin_put(f, sh[l], st[l], dl(f, x) - base - (k0 + l) * w, x);
			cur[l] = nx;
			live++;
		}
	} while (live != 0);
	for (l = 0; l < n; l++)
		bins_join(f, sh[l], st[l], w, head, tail);
}

/*
 * Sort a batch by deadline into a chain with both links set (*head oldest, *tail newest; the
 * tail's next is TWQ_NIL). Entries of equal deadline keep the batch's order. The batch list
 * is read once in its own order (for a fresh shard, the order of memory) and spread into
 * coarse bins; each bin, when wider than 1 ms, is then read once more and spread into exact
 * sub-bins (or merge sorted): O(n) for 2MSL up to about 9 minutes, O(n log n) beyond.
 */
void
twq_ring_sort(struct twq_fam *f, const struct twq_batch *b, uint32_t *head, uint32_t *tail)
{
	uint32_t bh[TWQ_SORT_BINS], bt[TWQ_SORT_BINS];
	const uint64_t span = (uint64_t)(b->dl_max - b->dl_min) + 1;
	const uint32_t w = (uint32_t)((span + TWQ_SORT_BINS - 1) / TWQ_SORT_BINS);
	const uint32_t nb = (uint32_t)((span + w - 1) / w);
	uint32_t k, idx, next;

	*head = TWQ_NIL;
	*tail = TWQ_NIL;
	if (b->count <= TWQ_SORT_SMALL) {
		chain_append(f, sort_list(f, b->head), head, tail);
		return;
	}
	for (k = 0; k < nb; k++)
		bh[k] = TWQ_NIL;
	for (idx = b->head; idx != TWQ_NIL; idx = next) {
		next = twq_lnk(f, idx)->next;
		bin_put(f, bh, bt, (dl(f, idx) - b->dl_min) / w, idx);
	}
	if (w == 1) {
		bins_join(f, bh, bt, nb, head, tail);
		return;
	}
	if (w > TWQ_SORT_FINE) {
		for (k = 0; k < nb; k++)
			if (bh[k] != TWQ_NIL)
				chain_append(f, sort_list(f, bh[k]), head, tail);
		return;
	}
	for (k = 0; k < nb; k += TWQ_SORT_LANES)
		bins_refine(f, bh, k, RTE_MIN(nb - k, TWQ_SORT_LANES), b->dl_min, w, head, tail);
}

/*
 * Merge a chain sorted by deadline (both links set, from twq_ring_sort) into the family's
 * ring, which is in deadline order too. Entries of the chain go after ring entries of the
 * same deadline. The merge runs from the newest ends: it costs the chain's length plus the
 * ring entries due after the chain's oldest, O(1) per entry when the chain's deadlines all
 * come after the ring's (a load into an empty shard, restores in increasing order).
 */
void
twq_ring_merge(struct twq_fam *f, uint32_t head, uint32_t tail)
{
	uint32_t c = f->tail, p = tail;

	if (head == TWQ_NIL)
		return;
	/* Everything after the ring: splice the chain at the tail. */
	if (c == TWQ_NIL || (int32_t)(dl(f, head) - dl(f, c)) >= 0) {
		twq_lnk(f, head)->prev = c;
		if (c == TWQ_NIL)
			f->head = head;
		else
			twq_lnk(f, c)->next = head;
		f->tail = tail;
		return;
	}
	while (p != TWQ_NIL) {
		uint32_t pp = twq_lnk(f, p)->prev, n;

		while (c != TWQ_NIL && (int32_t)(dl(f, c) - dl(f, p)) > 0)
			c = twq_lnk(f, c)->prev;
		if (c == TWQ_NIL) {
			/* The rest of the chain (head .. p) goes before the ring's head. */
			twq_lnk(f, head)->prev = TWQ_NIL;
			twq_lnk(f, p)->next = f->head;
			twq_lnk(f, f->head)->prev = p;
			f->head = head;
			return;
		}
		/* p goes right after c. */
		n = twq_lnk(f, c)->next;
		twq_lnk(f, p)->prev = c;
		twq_lnk(f, p)->next = n;
		twq_lnk(f, c)->next = p;
		if (n == TWQ_NIL)
			f->tail = p;
		else
			twq_lnk(f, n)->prev = p;
		p = pp;
	}
}
