/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The configuration keys: one row each (config_keys.h says who reads it), and the one setter
 * that checks a value the same way wherever it comes from (default, file, option).
 */

#include <arpa/inet.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "config_keys.h"
#include "log.h"
#include "config_strict.h"
#include "l2.h"
#include "listen.h"
#include "ratelimit.h"

#define KEY(sec, nm, ty, field, lo, hi, dflt, option, oarg, text) \
	{ \
		.section = sec, .name = nm, .type = ty, .off = offsetof(struct app_config, field), \
		.min = lo, .max = hi, .def = dflt, .opt = option, .arg = oarg, .help = text, \
	}

const struct app_key app_keys[] = {
		KEY("ports", "names", KEY_PORTS, port_names, 0, 0, "net_pcap0", "ports", "NAME,...",
				"ports to drive, by ethdev name: a --vdev name (net_pcap0) or a "
				"PCI address as given to -a (0000:03:00.0)"),
		KEY("ports", "rx_desc", KEY_U32, rx_desc, 64, 32768, "1024", NULL, NULL,
				"RX descriptors per queue (the driver may round it to its limits)"),
		KEY("ports", "tx_desc", KEY_U32, tx_desc, 64, 32768, "1024", NULL, NULL,
				"TX descriptors per queue (likewise)"),
		KEY("ports", "rss", KEY_BOOL, rss, 0, 0, "on", "rss", "on|off",
				"with several workers: on = RSS over IPv4/IPv6 TCP with the "
				"symmetric key; off = no RSS, each worker's queue is fed by "
				"something else with the app's Toeplitz rule"),
		KEY("ports", "promiscuous", KEY_BOOL, promisc, 0, 0, "off", NULL, NULL,
				"off: only frames to the port's MAC (and broadcast/multicast for "
				"ARP/ND) and to [listen] addresses are taken, the rest is dropped "
				"and counted (l2_*); on: every frame goes to the engine, as for a "
				"replay of captures addressed to other hosts"),
		KEY("engine", "msl_ms", KEY_U32, msl_ms, 1, TWQ_MSL_MAX_MS, "30000", "msl-ms", "N",
				"maximum segment lifetime in ms; TIME_WAIT lasts 2 x msl_ms"),
		KEY("engine", "capacity", KEY_U32, capacity, TWQ_CAPACITY_MIN, TWQ_CAPACITY_MAX,
				"1048576", "capacity", "N",
				"IPv4 entries per worker shard; when full the oldest entry is "
				"recycled"),
		KEY("engine", "capacity6", KEY_U32, capacity6, TWQ_CAPACITY_MIN, TWQ_CAPACITY_MAX,
				"65536", NULL, NULL, "IPv6 entries per worker shard"),
		KEY("engine", "rfc1337", KEY_BOOL, rfc1337, 0, 0, "on", NULL, NULL,
				"on: an RST never ends TIME_WAIT (RFC 1337); off: an RST whose seq "
				"is rcv_nxt ends it, as Linux does (TWQ_F_RST_KILLS)"),
		KEY("engine", "paws", KEY_BOOL, paws, 0, 0, "off", NULL, NULL,
				"PAWS in TIME_WAIT (RFC 7323 section 5.3, TWQ_F_PAWS)"),
		KEY("engine", "rfc6191", KEY_BOOL, rfc6191, 0, 0, "off", NULL, NULL,
				"a SYN without ACK with timestamps is judged by RFC 6191 "
				"section 2 (TWQ_F_RFC6191); a SYN with ACK keeps the seed's rules"),
		KEY("engine", "ack_limit", KEY_U32, ack_limit, 0, APP_ACK_LIMIT_MAX, "0", NULL,
				NULL,
				"ACKs answered per entry per ack_interval_ms; 0: no cap (the "
				"seed)"),
		KEY("engine", "ack_interval_ms", KEY_U32, ack_interval_ms, 1, 3600000, "500", NULL,
				NULL, "the interval of ack_limit"),
		KEY("engine", "local_prefixes", KEY_PREFIXES, local, 0, 0, "", NULL, NULL,
				"nolocaltimewait: peers inside these prefixes get no TIME_WAIT "
				"entry"),
		KEY("control", "scan_interval_ms", KEY_U32, scan_interval_ms, 1, 10000, "100", NULL,
				NULL, "period of the 2MSL scan on the control lcore"),
		KEY("control", "scan_slice", KEY_U32, scan_slice, 1, 1u << 20, "256", NULL, NULL,
				"entries expired per hold of a shard's lock: a worker waits at "
				"most one slice behind the scan"),
		KEY("control", "stats_period_s", KEY_U32, stats_period_s, 0, 86400, "0",
				"stats-period", "S",
				"print the stats block every S seconds; 0: only at the end"),
		KEY("control", "cycles", KEY_BOOL, cycles, 0, 0, "on", "cycles", "on|off",
				"workers count the TSC cycles from each burst received to its "
				"replies sent: cycles_per_pkt in stats (two rdtsc per burst; off "
				"saves them)"),
		KEY("closed", "policy", KEY_POLICY, closed_policy, 0, 0, "rst", "closed-policy",
				"P",
				"what a segment without a TIME_WAIT entry gets: rst (as a closed "
				"port) or drop"),
		KEY("closed", "rst_rate", KEY_U32, rst_rate, 0, APP_RATELIMIT_MAX, "1000", NULL,
				NULL,
				"closed-port and termination RSTs per second per worker (token "
				"bucket); the others are withheld and counted; 0: no limit"),
		KEY("closed", "rst_burst", KEY_U32, rst_burst, 1, APP_RATELIMIT_MAX, "100", NULL,
				NULL, "RSTs the token bucket saves up"),
		KEY("listen", "addresses", KEY_ADDRS, addresses, 0, 0, "", NULL, NULL,
				"the IPv4 and IPv6 addresses the appliance owns: it answers ARP, "
				"Neighbor Solicitations and echo requests for them and takes TCP "
				"to them"),
		KEY("listen", "ports", KEY_LPORTS, listen_ports, 0, 0, "", NULL, NULL,
				"TCP ports that answer (SYN cookies, a live connection, the "
				"response, our close into TIME_WAIT); empty: no listener"),
		KEY("listen", "body_file", KEY_PATH, body_file, 0, 0, "", NULL, NULL,
				"the file whose bytes are the response body (read at start)"),
		KEY("listen", "content_type", KEY_TEXT, content_type, 0, 0, "text/plain", NULL,
				NULL, "the Content-Type of the HTTP response"),
		KEY("listen", "mode", KEY_MODE, listen_mode, 0, 0, "http", NULL, NULL,
				"http: each request (up to CRLF CRLF) gets HTTP/1.1 200 with the "
				"body; raw: the first data segment gets the body's bytes as they "
				"are"),
		KEY("listen", "keepalive_requests", KEY_U32, keepalive_requests, 0, 1000000, "1",
				NULL, NULL,
				"HTTP requests answered on one connection before we close; 0 or "
				"1: one, with Connection: close"),
		KEY("listen", "capacity", KEY_U32, conn_capacity, TCPTERM_CAPACITY_MIN,
				TCPTERM_CAPACITY_MAX, "65536", NULL, NULL,
				"live connections per worker; when full a new one gets a RST "
				"(counted)"),
		KEY("listen", "idle_ms", KEY_U32, idle_ms, 1, 3600000, "30000", NULL, NULL,
				"a connection without a complete request for this long is aborted"),
		KEY("listen", "fin_wait2_ms", KEY_U32, fin_wait2_ms, 1, 3600000, "60000", NULL,
				NULL, "FIN-WAIT-2 timeout (Linux's tcp_fin_timeout)"),
		KEY("listen", "rto_initial_ms", KEY_U32, rto_initial_ms, 1, 60000, "1000", NULL,
				NULL, "retransmission timeout before an RTT sample (RFC 6298)"),
		KEY("listen", "rto_min_ms", KEY_U32, rto_min_ms, 1, 60000, "200", NULL, NULL,
				"lower bound of the retransmission timeout"),
		KEY("listen", "retries", KEY_U32, retries, 1, 100, "6", NULL, NULL,
				"retransmission timeouts in a row before the connection is aborted "
				"with a RST"),
		KEY("listen", "cookie_interval_ms", KEY_U32, cookie_interval_ms, 1000, 3600000,
				"64000", NULL, NULL,
				"SYN-cookie secret period; a cookie is good for two periods"),
		KEY("listen", "challenge_ack_limit", KEY_U32, challenge_ack_limit, 1, 1000000,
				"1000", NULL, NULL,
				"RFC 5961 challenge ACKs per second per worker"),
		KEY("listen", "sack", KEY_BOOL, sack, 0, 0, "off", NULL, NULL,
				"offer SACK-permitted in SYN-ACKs (SACK blocks are not used)"),
		KEY("state", "load", KEY_PATH, load_path, 0, 0, "", "load", "FILE",
				"TIME_WAIT state to load at start (docs/state-file.md)"),
		KEY("state", "save", KEY_PATH, save_path, 0, 0, "", "save", "FILE",
				"where to write the TIME_WAIT state at stop and at each checkpoint "
				"(a new temporary file beside it, synced, then renamed); its "
				"directory is checked at start"),
		KEY("state", "checkpoint_s", KEY_U32, checkpoint_s, 0, 86400, "5", NULL, NULL,
				"with save set: write it every this many seconds while running, so "
				"that a crash loses at most about one interval; 0: only at stop"),
		KEY("replay", "exit_idle_ms", KEY_U32, exit_idle_ms, 0, 3600000, "0", NULL, NULL,
				"stop once no port has received anything for this long (pcap "
				"replay); 0: never"),
};

const unsigned int app_n_keys = RTE_DIM(app_keys);

const char *
app_listen_mode_name(uint32_t mode)
{
	return mode == TCPTERM_MODE_RAW ? "raw" : "http";
}
static_assert(RTE_DIM(app_keys) <= APP_MAX_KEYS, "raise APP_MAX_KEYS");

void
app_config_defaults(struct app_config *cfg)
{
	unsigned int i;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < app_n_keys; i++) {
		rc = app_key_set(cfg, &app_keys[i], app_keys[i].def, "default");
		RTE_VERIFY(rc == 0); /* a default the table's own check refuses */
	}
}

void
app_key_allowed(const struct app_key *k, char *buf, size_t len)
{
	switch (k->type) {
	case KEY_U32:
		snprintf(buf, len, "an integer from %u to %u", k->min, k->max);
		break;
	case KEY_BOOL:
		snprintf(buf, len, "on or off");
		break;
	case KEY_PATH:
		snprintf(buf, len, "a file name shorter than %d bytes, or empty for none",
				PATH_MAX);
		break;
	case KEY_PORTS:
		snprintf(buf, len,
				"1 to %d comma-separated ethdev names (e.g. net_pcap0, "
				"0000:03:00.0), each at most %d characters, no repeats",
				APP_MAX_PORTS, RTE_ETH_NAME_MAX_LEN - 1);
		break;
	case KEY_PREFIXES:
		snprintf(buf, len,
				"up to %d comma-separated CIDR prefixes (e.g. 198.18.0.0/24, "
				"2001:db8::/48), or empty for none",
				TWQ_MAX_LOCAL_PREFIXES);
		break;
	case KEY_POLICY:
		snprintf(buf, len, "rst or drop");
		break;
	case KEY_ADDRS:
		snprintf(buf, len,
				"up to %d IPv4 and %d IPv6 unicast addresses, comma-separated "
				"(e.g. 198.18.0.2, 2001:db8::2), or empty for none",
				APP_L2_MAX_ADDRS, APP_L2_MAX_ADDRS);
		break;
	case KEY_LPORTS:
		snprintf(buf, len,
				"up to %d comma-separated TCP ports from 1 to 65535 (e.g. 80, "
				"8080)%s",
				APP_LISTEN_PORTS_MAX,
				strcmp(k->section, "listen") == 0 ? ", or empty for no listener"
								  : "");
		break;
	case KEY_TEXT:
		snprintf(buf, len, "one line of text");
		break;
	case KEY_MODE:
		snprintf(buf, len, "http or raw");
		break;
	}
}

/* Strip blanks at both ends, in place. */
static char *
app_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int
app_parse_ports(struct app_config *cfg, const char *value, char *why, size_t len)
{
	char buf[CFG_VALUE_LEN];
	char *f[APP_MAX_PORTS];
	int n, i, j;

	if (strlcpy(buf, value, sizeof(buf)) >= sizeof(buf))
		return -1;
	n = app_strict_split(buf, f, APP_MAX_PORTS);
	if (n <= 0) {
		snprintf(why, len, n == 0 ? "no name" : "an empty field or more than %d names",
				APP_MAX_PORTS);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (strlen(f[i]) >= sizeof(cfg->port_names[0]))
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(f[i], f[j]) == 0) {
				snprintf(why, len, "%s is given twice", f[i]);
				return -1;
			}
	}
	for (i = 0; i < n; i++)
		strlcpy(cfg->port_names[i], f[i], sizeof(cfg->port_names[0]));
	cfg->n_ports = (uint32_t)n;
	return 0;
}

static int
app_parse_prefix(char *tok, struct twq_prefix *p, char *why, size_t len)
{
	char *slash = strchr(tok, '/');
	char text[INET6_ADDRSTRLEN];
	uint32_t plen;
	unsigned int i, bits;
	uint8_t *a;

	if (slash == NULL) {
		snprintf(why, len, "%s has no /length", tok);
		return -1;
	}
	*slash = '\0';
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, tok, &p->addr.v4) == 1)
		p->is_ipv6 = 0;
	else if (inet_pton(AF_INET6, tok, p->addr.v6) == 1)
		p->is_ipv6 = 1;
	else
		return -1;
	if (app_strict_u32(slash + 1, 0, p->is_ipv6 ? 128 : 32, &plen) < 0)
		return -1;
	p->len = (uint8_t)plen;
	if (app_strict_host_bits(p)) {
		/* Say what the prefix would be with the host bits cleared. */
		a = p->is_ipv6 ? p->addr.v6 : (uint8_t *)&p->addr.v4;
		for (i = 0, bits = plen;
				i<(p->is_ipv6 ? 16u : 4u); i++, bits = bits> 8 ? bits - 8 : 0)
			a[i] &= bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
		inet_ntop(p->is_ipv6 ? AF_INET6 : AF_INET, a, text, sizeof(text));
		snprintf(why, len, "%s/%u has host bits set past its length (did you mean %s/%u?)",
				tok, plen, text, plen);
		return -1;
	}
	return 0;
}

static int
app_parse_prefixes(struct app_config *cfg, const char *value, char *why, size_t len)
{
	char buf[CFG_VALUE_LEN];
	char *f[TWQ_MAX_LOCAL_PREFIXES];
	int n, i;

	if (strlcpy(buf, value, sizeof(buf)) >= sizeof(buf))
		return -1;
	n = app_strict_split(buf, f, TWQ_MAX_LOCAL_PREFIXES);
	if (n < 0) {
		snprintf(why, len, "an empty field or more than %d prefixes",
				TWQ_MAX_LOCAL_PREFIXES);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (app_parse_prefix(f[i], &cfg->local[i], why, len) < 0)
			return -1;
	cfg->n_local = (uint32_t)n;
	strlcpy(cfg->local_text, value, sizeof(cfg->local_text));
	return 0;
}

/*
 * [listen] addresses / ports: checked by the parsers that use them at start, which say what
 * is wrong with which entry; stored as text.
 */
static int
app_key_set_list(const struct app_key *k, const char *section, const char *value, void *field,
		const char *origin)
{
	static const struct rte_ether_addr any;
	uint16_t ports[APP_LISTEN_PORTS_MAX];
	struct app_l2 scratch;
	char why[160];
	int rc = 0;

	if (k->type == KEY_ADDRS) {
		app_l2_init(&scratch, &any, false);
		rc = app_l2_add_addresses(&scratch, value, why, sizeof(why));
	} else if (value[0] != '\0') {
		rc = app_listen_parse_ports(value, ports, APP_LISTEN_PORTS_MAX, why, sizeof(why)) <
						0
				? -1
				: 0;
	}
	if (rc != 0) {
		app_err("%s: [%s] %s = %s: %s", origin, section, k->name, value, why);
		return -1;
	}
	return strlcpy(field, value, CFG_VALUE_LEN) >= CFG_VALUE_LEN ? -1 : 0;
}

int
app_key_set(struct app_config *cfg, const struct app_key *k, const char *raw, const char *origin)
{
	return app_key_set_at(cfg, k, k->section, (char *)cfg + k->off, raw, origin);
}

int
app_key_set_at(struct app_config *cfg, const struct app_key *k, const char *section, void *field,
		const char *raw, const char *origin)
{
	char vbuf[CFG_VALUE_LEN > PATH_MAX ? CFG_VALUE_LEN : PATH_MAX];
	char allowed[256], why[160] = "";
	const char *value;
	int rc = 0;

	if (strlcpy(vbuf, raw, sizeof(vbuf)) >= sizeof(vbuf)) {
		rc = -1;
		value = raw;
		goto out;
	}
	value = app_trim(vbuf);
	switch (k->type) {
	case KEY_U32:
		/* Decimal digits only: no sign, blank inside, leading zero or hex. */
		rc = app_strict_u32(value, k->min, k->max, field);
		break;
	case KEY_BOOL:
		if (strcmp(value, "on") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "off") == 0)
			*(bool *)field = false;
		else
			rc = -1;
		break;
	case KEY_PATH:
		if (strlcpy(field, value, PATH_MAX) >= PATH_MAX)
			rc = -1;
		else if (field == cfg->save_path)
			snprintf(cfg->save_origin, sizeof(cfg->save_origin), "%s: [%s] %s", origin,
					k->section, k->name);
		break;
	case KEY_PORTS:
		rc = app_parse_ports(cfg, value, why, sizeof(why));
		break;
	case KEY_PREFIXES:
		rc = app_parse_prefixes(cfg, value, why, sizeof(why));
		break;
	case KEY_POLICY:
		if (strcmp(value, "rst") == 0)
			cfg->closed_policy = APP_CLOSED_RST;
		else if (strcmp(value, "drop") == 0)
			cfg->closed_policy = APP_CLOSED_DROP;
		else
			rc = -1;
		break;
	case KEY_ADDRS:
	case KEY_LPORTS:
		rc = app_key_set_list(k, section, value, field, origin);
		break;
	case KEY_TEXT:
		if (strpbrk(value, "\r\n") != NULL ||
				strlcpy(field, value, CFG_VALUE_LEN) >= CFG_VALUE_LEN)
			rc = -1;
		break;
	case KEY_MODE:
		if (strcmp(value, "http") == 0)
			*(uint32_t *)field = TCPTERM_MODE_HTTP;
		else if (strcmp(value, "raw") == 0)
			*(uint32_t *)field = TCPTERM_MODE_RAW;
		else
			rc = -1;
		break;
	}
out:
	if (rc < 0) {
		app_key_allowed(k, allowed, sizeof(allowed));
		app_err("%s: [%s] %s = %s: %s%s%s", origin, section, k->name, value, why,
				why[0] ? "; expected " : "", allowed);
	}
	return rc;
}

const struct app_key *
app_key_find(const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < app_n_keys; i++)
		if (strcmp(app_keys[i].section, section) == 0 &&
				(name == NULL || strcmp(app_keys[i].name, name) == 0))
			return &app_keys[i];
	return NULL;
}

void
app_keys_of_section(const char *section, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < app_n_keys; i++) {
		if (strcmp(app_keys[i].section, section) != 0)
			continue;
		if (buf[0] != '\0')
			strlcat(buf, ", ", len);
		strlcat(buf, app_keys[i].name, len);
	}
}

void
app_key_sections(char *buf, size_t len)
{
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < app_n_keys; i++) {
		if (i != 0 && strcmp(app_keys[i].section, app_keys[i - 1].section) == 0)
			continue;
		if (buf[0] != '\0')
			strlcat(buf, ", ", len);
		strlcat(buf, app_keys[i].section, len);
	}
	strlcat(buf, ", " APP_LISTEN_SECTION "NAME", len);
}

int
app_config_foreach(const struct app_config *cfg, app_config_key_cb cb, void *arg)
{
	char names[APP_MAX_PORTS * RTE_ETH_NAME_MAX_LEN];
	unsigned int i, j;
	int rc = 0;

	for (i = 0; i < app_n_keys && rc == 0; i++) {
		const struct app_key *k = &app_keys[i];
		const void *field = (const char *)cfg + k->off;

		switch (k->type) {
		case KEY_U32:
			rc = cb(k->section, k->name, NULL, *(const uint32_t *)field, arg);
			break;
		case KEY_BOOL:
			rc = cb(k->section, k->name, *(const bool *)field ? "on" : "off", 0, arg);
			break;
		case KEY_PATH:
			rc = cb(k->section, k->name, field, 0, arg);
			break;
		case KEY_PORTS:
			names[0] = '\0';
			for (j = 0; j < cfg->n_ports; j++) {
				if (j != 0)
					strlcat(names, ",", sizeof(names));
				strlcat(names, cfg->port_names[j], sizeof(names));
			}
			rc = cb(k->section, k->name, names, 0, arg);
			break;
		case KEY_PREFIXES:
			rc = cb(k->section, k->name, cfg->local_text, 0, arg);
			break;
		case KEY_POLICY:
			rc = cb(k->section, k->name, app_closed_policy_name(cfg->closed_policy), 0,
					arg);
			break;
		case KEY_ADDRS:
		case KEY_LPORTS:
		case KEY_TEXT:
			rc = cb(k->section, k->name, field, 0, arg);
			break;
		case KEY_MODE:
			rc = cb(k->section, k->name, app_listen_mode_name(*(const uint32_t *)field),
					0, arg);
			break;
		}
	}
	return rc != 0 ? rc : app_config_listeners_foreach(cfg, cb, arg);
}
