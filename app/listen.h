/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_LISTEN_H
#define APP_LISTEN_H

/*
 * The listeners: which local TCP ports answer, and with what (a tcpterm response built from
 * a body file). Built once at start from the configuration, read-only afterwards and shared
 * by every worker; the address check is the L2 stage's (app/l2.h): a segment that reaches
 * the listener stage is to one of our addresses.
 */

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_cfgfile.h>

#include <tcpseg.h>
#include <tcpterm.h>

/** Most ports one listener lists. */
#define APP_LISTEN_PORTS_MAX 16

/** One listener as configured: [listen] or a [listen.NAME] section (config/README.md). */
struct app_listener_cfg {
	char name[CFG_NAME_LEN];          /**< its section: "listen", "listen.web" */
	char ports_text[CFG_VALUE_LEN];   /**< "80, 8080" */
	char body_file[PATH_MAX];         /**< the body, read at start */
	char content_type[CFG_VALUE_LEN]; /**< HTTP Content-Type; empty: tcpterm's default */
	uint32_t mode;                    /**< TCPTERM_MODE_HTTP or TCPTERM_MODE_RAW */
	uint32_t keepalive_requests;      /**< requests per connection (HTTP); 0 or 1: one */
};

/** The listeners of the appliance. */
struct app_listen {
	uint32_t n;                                           /**< listeners (responses) */
	struct tcpterm_response *resp[TCPTERM_RESPONSES_MAX]; /**< by listener index */
	uint32_t body_len[TCPTERM_RESPONSES_MAX];             /**< body bytes, for display */
	uint16_t ports[TCPTERM_RESPONSES_MAX][APP_LISTEN_PORTS_MAX];
	uint8_t n_ports[TCPTERM_RESPONSES_MAX];
	const struct app_listener_cfg *cfg; /**< the n listeners as given (the caller keeps them) */
	int8_t by_port[65536];              /**< listener index of a local port, -1 none */
};

/**
 * Build the listeners: parse each one's ports, read its body file, create its response.
 *
 * @param l
 *   Filled (n = 0 with no listener: every segment meets the closed-port policy).
 * @param cfg
 *   n listeners; l->cfg points to them, so they must outlive l.
 * @param n
 *   At most TCPTERM_RESPONSES_MAX.
 * @param socket_id
 *   NUMA socket of the responses.
 * @param err
 *   What is wrong on failure, with the listener's section ("[listen.web] port 80 belongs
 *   to two listeners", "[listen] body_file x: No such file").
 * @param errlen
 *   Size of err.
 * @return
 *   0, or -1 (what was made is freed).
 */
int app_listen_setup(struct app_listen *l, const struct app_listener_cfg *cfg, uint32_t n,
		int socket_id, char *err, size_t errlen);

/** Free the responses (after the workers have stopped and the tables are freed). */
void app_listen_free(struct app_listen *l);

/**
 * Parse a port list "80, 8080" (1 to 65535, commas or blanks, at most max, no repeat).
 *
 * @return
 *   The number of ports, or -1 with err filled.
 */
int app_listen_parse_ports(
		const char *text, uint16_t *ports, unsigned int max, char *err, size_t errlen);

/**
 * The listener a received segment is for, or -1. The destination address is ours (the L2
 * stage let it through).
 */
static inline int
app_listen_find(const struct app_listen *l, const struct tcpseg_view *v)
{
	return l->by_port[v->dport];
}

#endif /* APP_LISTEN_H */
