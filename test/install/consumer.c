/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * A program a user of the libraries would write: built against the installed headers and
 * libraries through pkg-config only (scripts/check-abi.sh). It makes a shard, starts one
 * TIME_WAIT entry, finds it, and prints "consumer ok".
 */

#include <stdio.h>
#include <string.h>

#include <rte_eal.h>

#include <tcpseg.h>
#include <twq.h>

int
main(int argc, char **argv)
{
	struct twq_params p;
	struct twq_conn c;
	struct twq_shard *s;
	uint32_t id;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "consumer: rte_eal_init failed\n");
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.name = "consumer";
	p.socket_id = SOCKET_ID_ANY;
	p.capacity = 1024;
	p.capacity6 = 64;
	p.msl_ms = 1000;
	s = twq_shard_create(&p);
	if (s == NULL) {
		fprintf(stderr, "consumer: twq_shard_create failed\n");
		return 1;
	}
	memset(&c, 0, sizeof(c));
	c.key.laddr.v4 = 0x010012c6; /* 198.18.0.1 */
	c.key.raddr.v4 = 0x020012c6; /* 198.18.0.2 */
	c.key.lport = 80;
	c.key.rport = 40000;
	c.snd_nxt = 1000;
	c.rcv_nxt = 2000;
	c.rcv_adv = 2000 + 65535;
	if (twq_start(s, &c, 0, NULL) != TWQ_START_OK) {
		fprintf(stderr, "consumer: twq_start failed\n");
		return 1;
	}
	id = twq_peek(s, &c.key);
	if (id == TWQ_ID_NONE) {
		fprintf(stderr, "consumer: entry not found\n");
		return 1;
	}
	printf("consumer ok: %s\n", tcpseg_reason_name(TCPSEG_OK));
	twq_shard_free(s);
	rte_eal_cleanup();
	return 0;
}
