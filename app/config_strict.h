/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_CONFIG_STRICT_H
#define APP_CONFIG_STRICT_H

/*
 * Strict parsing of configuration values, so that nothing is silently taken to mean
 * something else: numbers are decimal digits only (no sign, no blanks, no leading zeros
 * beyond "0", no hex), list fields are never empty, a prefix has no bits set past its length.
 */

#include <stddef.h>
#include <stdint.h>

#include <twq.h>

/**
 * A whole number in [min, max]: one or more decimal digits and nothing else.
 *
 * @return
 *   0 with *out set, or -1.
 */
int app_strict_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/**
 * Trim blanks (spaces and tabs) from both ends of s, in place.
 *
 * @return
 *   The first character of s that is not blank (the end is cut with a NUL).
 */
char *app_strict_trim(char *s);

/**
 * Split buf in place on commas into at most max fields, each trimmed of blanks.
 *
 * @return
 *   The number of fields (0 for an empty or all-blank buf), or -1 if a field is empty
 *   ("a,,b", "a,", ",a") or there are more than max.
 */
int app_strict_split(char *buf, char **fields, unsigned int max);

/**
 * Whether a prefix has address bits set past its length (198.18.0.1/24).
 *
 * @return
 *   1 if it has, 0 if not.
 */
int app_strict_host_bits(const struct twq_prefix *p);

#endif /* APP_CONFIG_STRICT_H */
