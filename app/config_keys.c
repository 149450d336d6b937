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

#define KEY(sec, nm, ty, field, lo, hi, dflt, option, oarg, text) \
	{ \
		.section = sec, .name = nm, .type = ty, .off = offsetof(struct app_config, field), \
		.min = lo, .max = hi, .def = dflt, .opt = option, .arg = oarg, .help = text, \
	}

const struct app_key app_keys[] = {
		KEY("ports", "names", KEY_PORTS, port_names, 0, 0, "net_pcap0", NULL, NULL,
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
				"a SYN with timestamps is judged by RFC 6191 section 2 "
				"(TWQ_F_RFC6191)"),
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
		KEY("closed", "policy", KEY_POLICY, closed_policy, 0, 0, "rst", "closed-policy",
				"P",
				"what a segment without a TIME_WAIT entry gets: rst (as a closed "
				"port) or drop"),
		KEY("state", "load", KEY_PATH, load_path, 0, 0, "", "load", "FILE",
				"TIME_WAIT state to load at start (docs/state-file.md)"),
		KEY("state", "save", KEY_PATH, save_path, 0, 0, "", "save", "FILE",
				"where to write the TIME_WAIT state at stop (FILE.tmp, then "
				"rename)"),
		KEY("replay", "exit_idle_ms", KEY_U32, exit_idle_ms, 0, 3600000, "0", NULL, NULL,
				"stop once no port has received anything for this long (pcap "
				"replay); 0: never"),
};

const unsigned int app_n_keys = RTE_DIM(app_keys);
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
app_parse_ports(struct app_config *cfg, const char *value)
{
	char buf[CFG_VALUE_LEN];
	char *tok, *save = NULL;
	uint32_t n = 0, i;

	if (strlcpy(buf, value, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		tok = app_trim(tok);
		if (*tok == '\0' || n == APP_MAX_PORTS || strlen(tok) >= sizeof(cfg->port_names[0]))
			return -1;
		for (i = 0; i < n; i++)
			if (strcmp(cfg->port_names[i], tok) == 0)
				return -1;
		strlcpy(cfg->port_names[n++], tok, sizeof(cfg->port_names[0]));
	}
	if (n == 0)
		return -1;
	cfg->n_ports = n;
	return 0;
}

static int
app_parse_prefix(char *tok, struct twq_prefix *p)
{
	char *slash = strchr(tok, '/');
	const char *errstr = NULL;
	long long len;

	if (slash == NULL)
		return -1;
	*slash = '\0';
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, tok, &p->addr.v4) == 1) {
		p->is_ipv6 = 0;
		len = strtonum(slash + 1, 0, 32, &errstr);
	} else if (inet_pton(AF_INET6, tok, p->addr.v6) == 1) {
		p->is_ipv6 = 1;
		len = strtonum(slash + 1, 0, 128, &errstr);
	} else {
		return -1;
	}
	if (errstr != NULL)
		return -1;
	p->len = (uint8_t)len;
	return 0;
}

static int
app_parse_prefixes(struct app_config *cfg, const char *value)
{
	char buf[CFG_VALUE_LEN];
	char *tok, *save = NULL;
	uint32_t n = 0;

	if (strlcpy(buf, value, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		tok = app_trim(tok);
		if (*tok == '\0' || n == TWQ_MAX_LOCAL_PREFIXES)
			return -1;
		if (app_parse_prefix(tok, &cfg->local[n]) < 0)
			return -1;
		n++;
	}
	cfg->n_local = n;
	strlcpy(cfg->local_text, value, sizeof(cfg->local_text));
	return 0;
}

int
app_key_set(struct app_config *cfg, const struct app_key *k, const char *raw, const char *origin)
{
	char vbuf[CFG_VALUE_LEN > PATH_MAX ? CFG_VALUE_LEN : PATH_MAX];
	char allowed[256];
	void *field = (char *)cfg + k->off;
	const char *errstr = NULL;
	const char *value;
	int rc = 0;

	if (strlcpy(vbuf, raw, sizeof(vbuf)) >= sizeof(vbuf)) {
		rc = -1;
		value = raw;
		goto out;
	}
	value = app_trim(vbuf);
	switch (k->type) {
	case KEY_U32: {
		long long v = strtonum(value, k->min, k->max, &errstr);

		if (errstr != NULL)
			rc = -1;
		else
			*(uint32_t *)field = (uint32_t)v;
		break;
	}
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
		break;
	case KEY_PORTS:
		rc = app_parse_ports(cfg, value);
		break;
	case KEY_PREFIXES:
		rc = app_parse_prefixes(cfg, value);
		break;
	case KEY_POLICY:
		if (strcmp(value, "rst") == 0)
			cfg->closed_policy = APP_CLOSED_RST;
		else if (strcmp(value, "drop") == 0)
			cfg->closed_policy = APP_CLOSED_DROP;
		else
			rc = -1;
		break;
	}
out:
	if (rc < 0) {
		app_key_allowed(k, allowed, sizeof(allowed));
		fprintf(stderr, "dpdk-twq: %s: [%s] %s = %s: %s\n", origin, k->section, k->name,
				value, allowed);
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
		}
	}
	return rc;
}
