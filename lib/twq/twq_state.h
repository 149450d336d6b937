/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TWQ_STATE_H
#define TWQ_STATE_H

/**
 * @file
 * twq: saving and loading a shard's entries. Restore in batches (a restart loads its saved
 * state in O(n log n)), and the walks that copy entries out: all at once in ring order
 * (twq_foreach()) or in resumable slices in storage order (twq_walk(), for checkpoints taken
 * while the shard keeps working). Part of twq.h, which includes it; the types are there.
 */

#include <stdint.h>

#include "twq.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Result of twq_restore(). */
enum twq_restore_result {
	TWQ_RESTORED = 0,      /**< entry made */
	TWQ_RESTORE_EXPIRED,   /**< no time left (remaining_ms is 0): nothing made */
	TWQ_RESTORE_DUPLICATE, /**< tuple already present: the existing entry is kept */
	TWQ_RESTORE_FULL,      /**< no free entry in the family's pool: nothing made */
};

/**
 * Begin a batch of restores. Between twq_restore_begin() and twq_restore_end() each
 * twq_restore() puts its entry in the index at once (so that a duplicate tuple is seen, and
 * twq_peek() and twq_entry_get() find it), but links it into the time-ordered ring only at
 * twq_restore_end(), which sorts the batch by deadline and merges it with the ring: a batch
 * of n entries into a shard of m costs O(n log n + m) at most, O(n) when the batch's
 * deadlines all come after the ring's. Loading saved state should use one batch.
 *
 * Inside a batch only twq_restore() and the read-only calls (twq_peek(), twq_entry_get(),
 * twq_walk(), twq_shard_count(), twq_counters_read() and the like) may be called on the
 * shard: not twq_start(), twq_input(), twq_input_burst(), twq_close(), twq_expire(),
 * twq_next_due_ms() or twq_foreach(), which see the ring without the batch (debug builds
 * assert it). A second twq_restore_begin() before twq_restore_end() is an error too.
 *
 * @param s
 *   The shard.
 */
void twq_restore_begin(struct twq_shard *s);

/**
 * Make an entry from saved state (for a restart, or to set up tests and demos). The deadline
 * is now + remaining_ms, at most now + 2MSL. Local prefixes are not applied. Unlike
 * twq_start(), an existing entry for the tuple is kept (the saved one is older news) and a
 * full pool recycles nothing (restore never pushes out a live entry). Counted in
 * TWQ_CTR_RESTORED when made.
 *
 * Inside a batch (twq_restore_begin()) the entry goes on the ring at twq_restore_end();
 * outside one, a call is a batch of one entry (its ring insertion walks from the newest
 * entry: O(1) when deadlines come in increasing order).
 *
 * @param s
 *   The shard.
 * @param info
 *   The saved entry.
 * @param now_ms
 *   The clock.
 * @param id
 *   When not NULL, set to the new entry's id when TWQ_RESTORED is returned (and left as is
 *   otherwise).
 * @return
 *   A value of enum twq_restore_result.
 */
enum twq_restore_result twq_restore(struct twq_shard *s, const struct twq_entry_info *info,
		uint64_t now_ms, uint32_t *id);

/**
 * End a batch of restores: its entries are sorted by deadline (in place, through their own
 * ring links: nothing is allocated, about 72 KB of stack is used) and merged into the
 * time-ordered ring of their family. Entries with equal deadlines keep their order: existing
 * entries first, then the batch's in the order they were restored. Does nothing when no batch
 * is open.
 *
 * @param s
 *   The shard.
 */
void twq_restore_end(struct twq_shard *s);

/**
 * Callback of twq_foreach().
 *
 * @param info
 *   The entry.
 * @param arg
 *   The caller's argument.
 * @return
 *   0 to go on; any other value stops the walk and is returned by twq_foreach() (or
 *   twq_walk(): use negative values there, see its return value).
 */
typedef int (*twq_foreach_cb)(const struct twq_entry_info *info, void *arg);

/**
 * Walk every entry, oldest first, IPv4 then IPv6. The shard must not change meanwhile.
 *
 * @param s
 *   The shard.
 * @param now_ms
 *   The clock, for remaining_ms.
 * @param cb
 *   Called for each entry.
 * @param arg
 *   Passed to cb.
 * @return
 *   0 when every entry was visited, or the first non-zero value cb returned.
 */
int twq_foreach(const struct twq_shard *s, uint64_t now_ms, twq_foreach_cb cb, void *arg);

/**
 * Walk the entries in slices, for a checkpoint written while the shard keeps working: each
 * call visits up to budget entry slots in storage order (every IPv4 slot, then every IPv6
 * slot; the order of ids), from *cursor on, calls cb for each live entry and advances
 * *cursor past the slots visited. Start with *cursor = 0 and call again, with any changes to
 * the shard in between, until it returns 1. A call costs O(budget) whatever the number of
 * live entries, so a caller holding a lock bounds its hold time with budget.
 *
 * Between calls: an entry alive during the whole walk is visited exactly once (entries never
 * move); an entry made or ended meanwhile may or may not be visited; an entry re-armed
 * meanwhile is visited once, with the remaining time it had when its slot was visited.
 *
 * @param s
 *   The shard.
 * @param cursor
 *   Where to go on from; 0 to start. Advanced by the slots visited; after a stop by cb, it
 *   is just past the entry whose callback stopped the walk, so a call again goes on with
 *   the next entry.
 * @param budget
 *   Most slots to visit in this call (live or not). 0 visits nothing.
 * @param now_ms
 *   The clock, for remaining_ms.
 * @param cb
 *   Called for each live entry; should return 0 to go on or a negative value to stop (a
 *   positive value stops too, but 1 cannot be told from the end of the walk).
 * @param arg
 *   Passed to cb.
 * @return
 *   1 when the walk has reached the end (every slot visited), 0 when more remains, or the
 *   non-zero value cb returned.
 */
int twq_walk(const struct twq_shard *s, uint64_t *cursor, uint32_t budget, uint64_t now_ms,
		twq_foreach_cb cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* TWQ_STATE_H */
