/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Fuzz target: any bytes as the parameter string of /twq/lookup (app/tel_param.c). A refusal
 * must give a reason; an accepted key, printed back as laddr,lport,raddr,rport, must parse to
 * the same key.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "tel_param.h"

int
fuzz_init(void)
{
	return 0;
}

int
fuzz_one(const uint8_t *data, size_t size)
{
	char buf[512], again[512], la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], why[512];
	struct twq_key k, k2;
	int af;

	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	why[0] = '\0';
	if (app_tel_no_params(buf, why, sizeof(why)) != 0 && why[0] == '\0')
		abort();
	why[0] = '\0';
	if (app_tel_parse_key(buf, &k, why, sizeof(why)) != 0) {
		if (why[0] == '\0') {
			fprintf(stderr, "refused without a reason\n");
			abort();
		}
		return 0;
	}
	af = k.is_ipv6 ? AF_INET6 : AF_INET;
	if (inet_ntop(af, k.is_ipv6 ? (void *)k.laddr.v6 : (void *)&k.laddr.v4, la, sizeof(la)) ==
					NULL ||
			inet_ntop(af, k.is_ipv6 ? (void *)k.raddr.v6 : (void *)&k.raddr.v4, ra,
					sizeof(ra)) == NULL)
		abort();
	snprintf(again, sizeof(again), "%s,%u,%s,%u", la, k.lport, ra, k.rport);
	if (app_tel_parse_key(again, &k2, why, sizeof(why)) != 0 ||
			memcmp(&k, &k2, sizeof(k)) != 0) {
		fprintf(stderr, "accepted %s, printed back as %s: not the same key\n", buf, again);
		abort();
	}
	return 0;
}
