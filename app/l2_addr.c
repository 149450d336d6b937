/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The appliance's own addresses for the L2 stage (app/l2.c): parsing [listen] addresses,
 * and the names of the stage's results. Start-up and telemetry only; nothing here is on the
 * fast path.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "l2.h"

static const char *const l2_names[] = {
#define APP_L2_NAME(name, kind, desc) #name,
		APP_L2_RESULTS(APP_L2_NAME)
#undef APP_L2_NAME
};

static const char *const l2_descs[] = {
#define APP_L2_DESC(name, kind, desc) desc,
		APP_L2_RESULTS(APP_L2_DESC)
#undef APP_L2_DESC
};

const char *
app_l2_result_name(enum app_l2_result r)
{
	static char lower[APP_L2_RESULT_MAX][24];

	if ((unsigned int)r >= APP_L2_RESULT_MAX)
		return "unknown";
	if (lower[r][0] == '\0') {
		size_t i;

		for (i = 0; l2_names[r][i] != '\0' && i + 1 < sizeof(lower[r]); i++) {
			const char c = l2_names[r][i];

			lower[r][i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		lower[r][i] = '\0';
	}
	return lower[r];
}

const char *
app_l2_result_desc(enum app_l2_result r)
{
	return (unsigned int)r < APP_L2_RESULT_MAX ? l2_descs[r] : "unknown";
}

void
app_l2_init(struct app_l2 *l2, const struct rte_ether_addr *mac, bool promisc)
{
	memset(l2, 0, sizeof(*l2));
	rte_ether_addr_copy(mac, &l2->mac);
	l2->promisc = promisc;
}

static int
l2_add_one(struct app_l2 *l2, const char *tok, char *err, size_t errlen)
{
	uint8_t a6[16];
	uint32_t a4;

	if (inet_pton(AF_INET, tok, &a4) == 1) {
		const uint32_t h = rte_be_to_cpu_32(a4);

		if (h == 0 || h == UINT32_MAX || (h >> 28) == 0xe) {
			snprintf(err, errlen, "%s: not a unicast IPv4 address", tok);
			return -1;
		}
		if (app_l2_has_v4(l2, a4))
			return 0;
		if (l2->n4 == APP_L2_MAX_ADDRS) {
			snprintf(err, errlen, "more than %d IPv4 addresses", APP_L2_MAX_ADDRS);
			return -1;
		}
		l2->v4[l2->n4++] = a4;
		return 0;
	}
	if (inet_pton(AF_INET6, tok, a6) == 1) {
		static const uint8_t zero[16];

		if (a6[0] == 0xff || memcmp(a6, zero, 16) == 0) {
			snprintf(err, errlen, "%s: not a unicast IPv6 address", tok);
			return -1;
		}
		if (app_l2_has_v6(l2, a6))
			return 0;
		if (l2->n6 == APP_L2_MAX_ADDRS) {
			snprintf(err, errlen, "more than %d IPv6 addresses", APP_L2_MAX_ADDRS);
			return -1;
		}
		memcpy(l2->v6[l2->n6], a6, 16);
		memcpy(l2->v6_snm[l2->n6], &a6[13], 3);
		l2->n6++;
		return 0;
	}
	snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address (e.g. 198.18.0.1, 2001:db8::1)",
			tok);
	return -1;
}

int
app_l2_add_addresses(struct app_l2 *l2, const char *text, char *err, size_t errlen)
{
	char tok[INET6_ADDRSTRLEN + 1];
	const char *p = text;

	for (;;) {
		size_t n;

		p += strspn(p, ", \t");
		if (*p == '\0')
			return 0;
		n = strcspn(p, ", \t");
		if (n >= sizeof(tok)) {
			snprintf(err, errlen, "'%.*s' is not an IPv4 or IPv6 address", (int)n, p);
			return -1;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (l2_add_one(l2, tok, err, errlen) != 0)
			return -1;
		p += n;
	}
}
