/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Putting a batch of restored entries on the 2MSL ring in deadline order, in O(n log n) at
 * worst and in no memory beyond a few kilobytes of stack: the batch, a list chained through
 * its entries' next links, is spread into bins by deadline range, each bin is merge sorted
 * through the same links (small enough to stay in cache), and the sorted bins are joined
 * with their prev links set; twq_ring_merge then merges that chain into the ring from the
 * newest end. The O(1) ring primitives (append, remove) are inline in twq_pvt.h.
 */

#include <rte_common.h>

#include "twq.h"
#include "twq_pvt.h"

/* Most bins, and entries per bin aimed at (a bin's link records stay in cache as it sorts). */
#define TWQ_SORT_BINS_MAX 2048u
#define TWQ_SORT_PER_BIN  256u

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
	while (list != TWQ_NIL) {
		twq_lnk(f, list)->prev = *tail;
		if (*tail == TWQ_NIL)
			*head = list;
		*tail = list;
		list = twq_lnk(f, list)->next;
	}
}

/*
 * Sort a batch by deadline into a chain with both links set (*head oldest, *tail newest; the
 * tail's next is TWQ_NIL). Entries of equal deadline keep the batch's order.
 */
void
twq_ring_sort(struct twq_fam *f, const struct twq_batch *b, uint32_t *head, uint32_t *tail)
{
	uint32_t bin_head[TWQ_SORT_BINS_MAX], bin_tail[TWQ_SORT_BINS_MAX];
	const uint64_t span = (uint64_t)(b->dl_max - b->dl_min) + 1;
	uint32_t nb = RTE_MIN(b->count / TWQ_SORT_PER_BIN, TWQ_SORT_BINS_MAX);
	uint32_t i, idx, next;

	*head = TWQ_NIL;
	*tail = TWQ_NIL;
	if (nb < 2) {
		chain_append(f, sort_list(f, b->head), head, tail);
		return;
	}
	/* Spread by deadline: bin i holds deadlines of [i, i + 1) * span / nb after dl_min. */
	for (i = 0; i < nb; i++)
		bin_head[i] = TWQ_NIL;
	for (idx = b->head; idx != TWQ_NIL; idx = next) {
		uint32_t k = (uint32_t)((uint64_t)(dl(f, idx) - b->dl_min) * nb / span);

		next = twq_lnk(f, idx)->next;
		twq_lnk(f, idx)->next = TWQ_NIL;
		if (bin_head[k] == TWQ_NIL)
			bin_head[k] = idx;
		else
			twq_lnk(f, bin_tail[k])->next = idx;
		bin_tail[k] = idx;
	}
	for (i = 0; i < nb; i++)
		if (bin_head[i] != TWQ_NIL)
			chain_append(f, sort_list(f, bin_head[i]), head, tail);
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
