/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_RATELIMIT_H
#define APP_RATELIMIT_H

/*
 * A token bucket per worker for the answers an attacker can provoke with spoofed sources:
 * the RST of the closed-port policy and RFC 5961 challenge ACKs. Like Linux's
 * net.ipv4.icmp_ratelimit / tcp_challenge_ack_limit, it bounds what the appliance sends per
 * second whatever arrives, so that a flood cannot use it as a 1:1 reflector: rate tokens
 * per second, at most burst saved up. The caller counts an answer withheld.
 *
 * One writer (the worker that owns it), the caller's millisecond clock, no atomics: state of
 * one lcore. Tokens are kept in thousandths so that rates below 1000/s refill smoothly.
 */

#include <stdbool.h>
#include <stdint.h>

/** Largest rate and burst app_ratelimit_init() takes (keeps the arithmetic in 64 bits). */
#define APP_RATELIMIT_MAX 100000000u

/** A token bucket. */
struct app_ratelimit {
	uint64_t milli;   /**< tokens available, in thousandths */
	uint64_t cap;     /**< burst, in thousandths */
	uint64_t last_ms; /**< clock of the last refill */
	uint64_t full_ms; /**< time that refills an empty bucket (ms) */
	uint32_t rate;    /**< tokens per second; 0: unlimited */
};

/**
 * Start a bucket, full.
 *
 * @param rl
 *   The bucket.
 * @param rate
 *   Tokens per second (at most APP_RATELIMIT_MAX); 0 means no limit.
 * @param burst
 *   Tokens that can be saved up (at least 1, at most APP_RATELIMIT_MAX).
 * @param now_ms
 *   The caller's clock.
 */
static inline void
app_ratelimit_init(struct app_ratelimit *rl, uint32_t rate, uint32_t burst, uint64_t now_ms)
{
	if (burst == 0)
		burst = 1;
	if (burst > APP_RATELIMIT_MAX)
		burst = APP_RATELIMIT_MAX;
	if (rate > APP_RATELIMIT_MAX)
		rate = APP_RATELIMIT_MAX;
	rl->rate = rate;
	rl->cap = (uint64_t)burst * 1000;
	rl->milli = rl->cap;
	rl->last_ms = now_ms;
	/* rate tokens per second = rate thousandths per millisecond */
	rl->full_ms = rate != 0 ? (rl->cap + rate - 1) / rate : 0;
}

/**
 * Take one token if there is one.
 *
 * @param rl
 *   The bucket.
 * @param now_ms
 *   The caller's clock (never going back; a smaller value refills nothing).
 * @return
 *   true: send the answer. false: withhold it (the caller counts it).
 */
static inline bool
app_ratelimit_take(struct app_ratelimit *rl, uint64_t now_ms)
{
	if (rl->rate == 0)
		return true;
	if (now_ms > rl->last_ms) {
		const uint64_t dt = now_ms - rl->last_ms;

		if (dt >= rl->full_ms) {
			rl->milli = rl->cap;
		} else {
			rl->milli += dt * rl->rate;
			if (rl->milli > rl->cap)
				rl->milli = rl->cap;
		}
		rl->last_ms = now_ms;
	}
	if (rl->milli < 1000)
		return false;
	rl->milli -= 1000;
	return true;
}

#endif /* APP_RATELIMIT_H */
