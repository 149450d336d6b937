/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_LOCK_H
#define APP_LOCK_H

/*
 * Taking a shard's lock. The lock is held for one burst (worker), one scan slice (control
 * lcore) or one lookup (telemetry): microseconds. A plain spinlock is right while every
 * holder has a CPU of its own; when two of them share a CPU (the control lcore mapped on a
 * worker's core, the usual layout of a small machine), the scheduler can preempt a holder,
 * and the waiter then spins out its whole time slice, milliseconds, before the holder gets
 * the CPU back to release the lock. So a waiter spins for APP_LOCK_SPIN_US and then yields
 * the CPU between tries. The uncontended path is one trylock; a system call is only made
 * after the spin, i.e. when the wait has already been long (typically: the holder is not
 * running).
 *
 * Yielding alone does not let the worker in while the scan runs slice after slice: the scan
 * releases the lock and takes it again at once, so a worker that shares its CPU would find it
 * held every time it runs. The worker therefore flags its wait (app_shard.worker_waiting) and
 * the scan, between two slices, steps aside until the worker has had the lock
 * (app_lock_yield_to()).
 */

#include <sched.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_spinlock.h>

/** How long a waiter spins before it starts yielding: a few scan slices' worth. */
#define APP_LOCK_SPIN_US 50

/** The TSC value @p us microseconds from now. */
static inline uint64_t
app_lock_tsc_in(uint32_t us)
{
	return rte_get_tsc_cycles() + rte_get_tsc_hz() / 1000000 * us;
}

/**
 * One step of a wait whose spin ends at @p spin_until: a pause before that, a yield of the
 * CPU after it. Returns 1 if it yielded.
 */
static inline uint32_t
app_lock_wait_step(uint64_t now, uint64_t spin_until)
{
	if (now < spin_until) {
		rte_pause();
		return 0;
	}
	sched_yield();
	return 1;
}

/**
 * Take @p lock: trylock, then spin up to APP_LOCK_SPIN_US, then sched_yield() between tries.
 * Returns 0 when the lock was free, otherwise 1 + the number of yields (more than 1 only when
 * the wait lasted longer than APP_LOCK_SPIN_US).
 */
static inline uint32_t
app_lock(rte_spinlock_t *lock)
{
	uint64_t until;
	uint32_t waits = 1;

	if (likely(rte_spinlock_trylock(lock)))
		return 0;
	until = app_lock_tsc_in(APP_LOCK_SPIN_US);
	do {
		/* Wait on a plain load, so that waiting does not take the line from the holder. */
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0)
			waits += app_lock_wait_step(rte_get_tsc_cycles(), until);
	} while (!rte_spinlock_trylock(lock));
	return waits;
}

/**
 * Called by a lock holder between two holds (the scan, between slices, with the lock
 * released): while @p *waiting says another thread waits for the lock, spin up to
 * APP_LOCK_SPIN_US, then yield the CPU, so that the waiter gets the lock before the next
 * hold. Gives up after @p max_us (a waiter that never comes cannot stop the caller).
 */
static inline void
app_lock_yield_to(const uint32_t *waiting, uint32_t max_us)
{
	uint64_t now, spin_until, give_up;

	if (likely(__atomic_load_n(waiting, __ATOMIC_RELAXED) == 0))
		return;
	spin_until = app_lock_tsc_in(APP_LOCK_SPIN_US);
	give_up = app_lock_tsc_in(max_us);
	while (__atomic_load_n(waiting, __ATOMIC_RELAXED) != 0) {
		now = rte_get_tsc_cycles();
		if (now >= give_up)
			break;
		app_lock_wait_step(now, spin_until);
	}
}

#endif /* APP_LOCK_H */
