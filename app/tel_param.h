/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_TEL_PARAM_H
#define APP_TEL_PARAM_H

/*
 * Parameters of telemetry commands, parsed strictly and with a reason when refused (the
 * reason goes into the reply's error dict). No DPDK state is touched: callable on any
 * buffer (fuzz_telparam).
 */

#include <stddef.h>

#include <twq.h>

/** What /twq/lookup expects, for error replies (under a telemetry string's 127 bytes). */
#define APP_TEL_LOOKUP_USAGE \
	"laddr,lport,raddr,rport: 2 addresses of one family, 2 decimal ports 0..65535, no blanks"

/**
 * Parse "laddr,lport,raddr,rport" into a key.
 *
 * @param params
 *   The parameter string (NULL: none given).
 * @param k
 *   Filled on success.
 * @param why
 *   Filled with what is wrong on failure (without the usage: APP_TEL_LOOKUP_USAGE).
 * @param len
 *   Size of why.
 * @return
 *   0, or -1.
 */
int app_tel_parse_key(const char *params, struct twq_key *k, char *why, size_t len);

/**
 * Check that a command without parameters got none.
 *
 * @return
 *   0, or -1 with why filled.
 */
int app_tel_no_params(const char *params, char *why, size_t len);

#endif /* APP_TEL_PARAM_H */
