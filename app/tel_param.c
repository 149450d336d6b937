/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Telemetry parameters (see tel_param.h). */

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <bsd/string.h>

#include "tel_param.h"

/* Longest parameter string: two IPv6 addresses, two ports, three commas. */
#define APP_TEL_KEY_MAX (2 * INET6_ADDRSTRLEN + 2 * 5 + 3)

/* A port: 1 to 5 decimal digits, at most 65535, nothing else. */
static int
app_tel_port(const char *s, uint16_t *port)
{
	uint32_t v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 5)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int
app_tel_addr(const char *s, int is_ipv6, union tcpseg_addr *a)
{
	return inet_pton(is_ipv6 ? AF_INET6 : AF_INET, s,
			       is_ipv6 ? (void *)a->v6 : (void *)&a->v4) == 1
			? 0
			: -1;
}

int
app_tel_parse_key(const char *params, struct twq_key *k, char *why, size_t len)
{
	char buf[APP_TEL_KEY_MAX + 2];
	char *f[4], *p;
	unsigned int n = 0;
	int l6, r6;

	if (params == NULL || params[0] == '\0') {
		snprintf(why, len, "no parameters");
		return -1;
	}
	if (strlcpy(buf, params, sizeof(buf)) >= sizeof(buf)) {
		snprintf(why, len, "parameters longer than %d characters", APP_TEL_KEY_MAX);
		return -1;
	}
	/* Split on every comma: an empty field is an error, not skipped. */
	for (p = buf, f[n++] = p; (p = strchr(p, ',')) != NULL; f[n++] = ++p) {
		*p = '\0';
		if (n == 4) {
			snprintf(why, len, "more than 4 fields");
			return -1;
		}
	}
	if (n != 4) {
		snprintf(why, len, "%u field(s), 4 needed", n);
		return -1;
	}
	memset(k, 0, sizeof(*k));
	l6 = strchr(f[0], ':') != NULL;
	r6 = strchr(f[2], ':') != NULL;
	if (l6 != r6) {
		snprintf(why, len, "laddr and raddr are of different families");
		return -1;
	}
	if (app_tel_addr(f[0], l6, &k->laddr) < 0 || app_tel_addr(f[2], r6, &k->raddr) < 0) {
		snprintf(why, len, "'%.50s' is not an IPv%d address",
				app_tel_addr(f[0], l6, &k->laddr) < 0 ? f[0] : f[2], l6 ? 6 : 4);
		return -1;
	}
	if (app_tel_port(f[1], &k->lport) < 0 || app_tel_port(f[3], &k->rport) < 0) {
		snprintf(why, len, "'%.50s' is not a port",
				app_tel_port(f[1], &k->lport) < 0 ? f[1] : f[3]);
		return -1;
	}
	k->is_ipv6 = (uint8_t)l6;
	return 0;
}

int
app_tel_no_params(const char *params, char *why, size_t len)
{
	if (params == NULL || params[0] == '\0')
		return 0;
	snprintf(why, len, "this command takes no parameters");
	return -1;
}
