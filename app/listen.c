/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Listeners: ports and responses, built at start (see listen.h). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_errno.h>

#include "listen.h"

int
app_listen_parse_ports(
		const char *text, uint16_t *ports, unsigned int max, char *err, size_t errlen)
{
	const char *p = text;
	unsigned int n = 0, i;

	for (;;) {
		unsigned long v;
		char *end;

		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (end == p || errno != 0 || v < 1 || v > 65535 ||
				(*end != '\0' && strchr(", \t", *end) == NULL)) {
			snprintf(err, errlen, "'%.*s' is not a port from 1 to 65535",
					(int)strcspn(p, ", \t"), p);
			return -1;
		}
		for (i = 0; i < n; i++)
			if (ports[i] == v) {
				snprintf(err, errlen, "port %lu is listed twice", v);
				return -1;
			}
		if (n == max) {
			snprintf(err, errlen, "more than %u ports", max);
			return -1;
		}
		ports[n++] = (uint16_t)v;
		p = end;
	}
	if (n == 0) {
		snprintf(err, errlen, "no port given (e.g. ports = 80, 8080)");
		return -1;
	}
	return (int)n;
}

/* The whole file in memory (freed by the caller), its length in *len. */
static void *
read_file(const char *path, uint32_t *len, char *err, size_t errlen)
{
	struct stat st;
	void *buf;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "body_file %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "body_file %s: not a regular file", path);
		fclose(f);
		return NULL;
	}
	if ((uint64_t)st.st_size > TCPTERM_RESPONSE_MAX - 4096) {
		snprintf(err, errlen, "body_file %s: %lld bytes, more than the %u a response holds",
				path, (long long)st.st_size, TCPTERM_RESPONSE_MAX - 4096);
		fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		snprintf(err, errlen, "body_file %s: cannot read it", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (uint32_t)st.st_size;
	return buf;
}

static int
listen_one(struct app_listen *l, uint32_t i, const struct app_listener_cfg *c, int socket_id,
		char *err, size_t errlen)
{
	struct tcpterm_response_params rp;
	char name[32];
	void *body;
	int n, k;

	n = app_listen_parse_ports(c->ports_text, l->ports[i], APP_LISTEN_PORTS_MAX, err, errlen);
	if (n < 0)
		return -1;
	for (k = 0; k < n; k++) {
		if (l->by_port[l->ports[i][k]] >= 0) {
			snprintf(err, errlen, "port %u belongs to two listeners", l->ports[i][k]);
			return -1;
		}
		l->by_port[l->ports[i][k]] = (int8_t)i;
	}
	l->n_ports[i] = (uint8_t)n;
	body = read_file(c->body_file, &l->body_len[i], err, errlen);
	if (body == NULL)
		return -1;
	snprintf(name, sizeof(name), "twq_resp%u", i);
	memset(&rp, 0, sizeof(rp));
	rp.name = name;
	rp.socket_id = socket_id;
	rp.mode = c->mode;
	rp.body = body;
	rp.body_len = l->body_len[i];
	rp.content_type = c->content_type[0] != '\0' ? c->content_type : NULL;
	rp.keepalive_requests = c->keepalive_requests;
	l->resp[i] = tcpterm_response_create(&rp);
	free(body);
	if (l->resp[i] == NULL) {
		snprintf(err, errlen, "body_file %s: cannot make the response: %s", c->body_file,
				rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

int
app_listen_setup(struct app_listen *l, const struct app_listener_cfg *cfg, uint32_t n,
		int socket_id, char *err, size_t errlen)
{
	char why[224];
	uint32_t i;

	memset(l, 0, sizeof(*l));
	memset(l->by_port, -1, sizeof(l->by_port));
	l->cfg = cfg;
	if (n > TCPTERM_RESPONSES_MAX) {
		snprintf(err, errlen, "more than %d listeners", TCPTERM_RESPONSES_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (listen_one(l, i, &cfg[i], socket_id, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "[%s] %s", cfg[i].name, why);
			app_listen_free(l);
			return -1;
		}
		l->n = i + 1;
	}
	return 0;
}

void
app_listen_free(struct app_listen *l)
{
	uint32_t i;

	for (i = 0; i < TCPTERM_RESPONSES_MAX; i++) {
		tcpterm_response_free(l->resp[i]);
		l->resp[i] = NULL;
	}
	l->n = 0;
}
