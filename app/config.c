/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Configuration: built-in defaults, then the INI file of --config (read with rte_cfgfile),
 * then the command-line options. Every key goes through one table and one setter, so a value
 * is checked the same way wherever it comes from. Unknown sections and keys are errors.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "config.h"
#include "l2.h"
#include "listen.h"
#include "log.h"
#include "ratelimit.h"

enum app_key_type {
	KEY_U32,      /**< integer in [min, max] */
	KEY_BOOL,     /**< on | off */
	KEY_PATH,     /**< a file name, may be empty */
	KEY_PORTS,    /**< comma-separated ethdev names */
	KEY_PREFIXES, /**< comma-separated CIDR prefixes */
	KEY_POLICY,   /**< rst | drop */
	KEY_ADDRS,    /**< IPv4 and IPv6 addresses (app_l2_add_addresses) */
	KEY_LPORTS,   /**< TCP port numbers (app_listen_parse_ports), may be empty */
	KEY_TEXT,     /**< one line of text without CR/LF, may be empty */
	KEY_MODE,     /**< http | raw */
};

struct app_key {
	const char *section;
	const char *name;
	enum app_key_type type;
	size_t off;
	uint32_t min;
	uint32_t max;
};

#define KEY(sec, nm, ty, field, lo, hi) \
	{ \
		sec, nm, ty, offsetof(struct app_config, field), lo, hi \
	}

static const struct app_key app_keys[] = {
		KEY("ports", "names", KEY_PORTS, port_names, 0, 0),
		KEY("ports", "rx_desc", KEY_U32, rx_desc, 64, 32768),
		KEY("ports", "tx_desc", KEY_U32, tx_desc, 64, 32768),
		KEY("ports", "rss", KEY_BOOL, rss, 0, 0),
		KEY("ports", "promiscuous", KEY_BOOL, promisc, 0, 0),
		KEY("engine", "msl_ms", KEY_U32, msl_ms, 1, TWQ_MSL_MAX_MS),
		KEY("engine", "capacity", KEY_U32, capacity, TWQ_CAPACITY_MIN, TWQ_CAPACITY_MAX),
		KEY("engine", "capacity6", KEY_U32, capacity6, TWQ_CAPACITY_MIN, TWQ_CAPACITY_MAX),
		KEY("engine", "rfc1337", KEY_BOOL, rfc1337, 0, 0),
		KEY("engine", "paws", KEY_BOOL, paws, 0, 0),
		KEY("engine", "rfc6191", KEY_BOOL, rfc6191, 0, 0),
		KEY("engine", "ack_limit", KEY_U32, ack_limit, 0, 255),
		KEY("engine", "ack_interval_ms", KEY_U32, ack_interval_ms, 1, 3600000),
		KEY("engine", "local_prefixes", KEY_PREFIXES, local, 0, 0),
		KEY("control", "scan_interval_ms", KEY_U32, scan_interval_ms, 1, 10000),
		KEY("control", "scan_slice", KEY_U32, scan_slice, 1, 1u << 20),
		KEY("control", "stats_period_s", KEY_U32, stats_period_s, 0, 86400),
		KEY("closed", "policy", KEY_POLICY, closed_policy, 0, 0),
		KEY("closed", "rst_rate", KEY_U32, rst_rate, 0, APP_RATELIMIT_MAX),
		KEY("closed", "rst_burst", KEY_U32, rst_burst, 1, APP_RATELIMIT_MAX),
		KEY("listen", "addresses", KEY_ADDRS, addresses, 0, 0),
		KEY("listen", "ports", KEY_LPORTS, listen_ports, 0, 0),
		KEY("listen", "body_file", KEY_PATH, body_file, 0, 0),
		KEY("listen", "content_type", KEY_TEXT, content_type, 0, 0),
		KEY("listen", "mode", KEY_MODE, listen_mode, 0, 0),
		KEY("listen", "keepalive_requests", KEY_U32, keepalive_requests, 0, 1000000),
		KEY("listen", "capacity", KEY_U32, conn_capacity, TCPTERM_CAPACITY_MIN,
				TCPTERM_CAPACITY_MAX),
		KEY("listen", "idle_ms", KEY_U32, idle_ms, 1, 3600000),
		KEY("listen", "fin_wait2_ms", KEY_U32, fin_wait2_ms, 1, 3600000),
		KEY("listen", "rto_initial_ms", KEY_U32, rto_initial_ms, 1, 60000),
		KEY("listen", "rto_min_ms", KEY_U32, rto_min_ms, 1, 60000),
		KEY("listen", "retries", KEY_U32, retries, 1, 100),
		KEY("listen", "cookie_interval_ms", KEY_U32, cookie_interval_ms, 1000, 3600000),
		KEY("listen", "challenge_ack_limit", KEY_U32, challenge_ack_limit, 1, 1000000),
		KEY("listen", "sack", KEY_BOOL, sack, 0, 0),
		KEY("state", "load", KEY_PATH, load_path, 0, 0),
		KEY("state", "save", KEY_PATH, save_path, 0, 0),
		KEY("replay", "exit_idle_ms", KEY_U32, exit_idle_ms, 0, 3600000),
};

#define APP_N_KEYS RTE_DIM(app_keys)

static void
app_config_defaults(struct app_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strlcpy(cfg->port_names[0], "net_pcap0", sizeof(cfg->port_names[0]));
	cfg->n_ports = 1;
	cfg->rx_desc = 1024;
	cfg->tx_desc = 1024;
	cfg->rss = true;
	cfg->msl_ms = 30000;
	cfg->capacity = 1048576;
	cfg->capacity6 = 65536;
	cfg->rfc1337 = true;
	cfg->ack_interval_ms = 500;
	cfg->scan_interval_ms = 100;
	cfg->scan_slice = 256;
	cfg->closed_policy = APP_CLOSED_RST;
	cfg->rst_rate = 1000;
	cfg->rst_burst = 100;
	strlcpy(cfg->content_type, "text/plain", sizeof(cfg->content_type));
	cfg->listen_mode = TCPTERM_MODE_HTTP;
	cfg->keepalive_requests = 1;
	cfg->conn_capacity = 65536;
	cfg->idle_ms = 30000;
	cfg->fin_wait2_ms = 60000;
	cfg->rto_initial_ms = 1000;
	cfg->rto_min_ms = 200;
	cfg->retries = 6;
	cfg->cookie_interval_ms = 64000;
	cfg->challenge_ack_limit = 1000;
}

const char *
app_listen_mode_name(uint32_t mode)
{
	return mode == TCPTERM_MODE_RAW ? "raw" : "http";
}

const char *
app_closed_policy_name(enum app_closed_policy p)
{
	return p == APP_CLOSED_DROP ? "drop" : "rst";
}

/* What a key accepts, for error messages. */
static void
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
				"up to %d comma-separated TCP ports from 1 to 65535 (e.g. 80, 8080), "
				"or empty for no listener",
				APP_LISTEN_PORTS_MAX);
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

/* Set one key from text. origin names where the value came from, for the message. */
static int
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
	case KEY_ADDRS: {
		static const struct rte_ether_addr any;
		struct app_l2 scratch;
		char why[160];

		app_l2_init(&scratch, &any, false);
		if (app_l2_add_addresses(&scratch, value, why, sizeof(why)) != 0) {
			fprintf(stderr, "dpdk-twq: %s: [%s] %s: %s\n", origin, k->section, k->name,
					why);
			rc = -1;
		} else if (strlcpy(field, value, CFG_VALUE_LEN) >= CFG_VALUE_LEN) {
			rc = -1;
		}
		break;
	}
	case KEY_LPORTS: {
		uint16_t ports[APP_LISTEN_PORTS_MAX];
		char why[160];

		if (value[0] != '\0' && app_listen_parse_ports(value, ports, APP_LISTEN_PORTS_MAX,
						 why, sizeof(why)) < 0) {
			fprintf(stderr, "dpdk-twq: %s: [%s] %s = %s: %s\n", origin, k->section,
					k->name, value, why);
			rc = -1;
		} else if (strlcpy(field, value, CFG_VALUE_LEN) >= CFG_VALUE_LEN) {
			rc = -1;
		}
		break;
	}
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
	/* KEY_ADDRS and KEY_LPORTS said what is wrong already: the allowed values follow. */
out:
	if (rc < 0) {
		app_key_allowed(k, allowed, sizeof(allowed));
		fprintf(stderr, "dpdk-twq: %s: [%s] %s = %s: %s\n", origin, k->section, k->name,
				value, allowed);
	}
	return rc;
}

static const struct app_key *
app_key_find(const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < APP_N_KEYS; i++)
		if (strcmp(app_keys[i].section, section) == 0 &&
				(name == NULL || strcmp(app_keys[i].name, name) == 0))
			return &app_keys[i];
	return NULL;
}

static void
app_keys_of_section(const char *section, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < APP_N_KEYS; i++) {
		if (strcmp(app_keys[i].section, section) != 0)
			continue;
		if (buf[0] != '\0')
			strlcat(buf, ", ", len);
		strlcat(buf, app_keys[i].name, len);
	}
}

static int
app_config_load_file(struct app_config *cfg, const char *path)
{
	bool seen[APP_N_KEYS] = {false};
	struct rte_cfgfile_entry *entries = NULL;
	char secname[CFG_NAME_LEN];
	char known[256];
	struct rte_cfgfile *f;
	int nsec, s, n, i, rc = -1;

	if (access(path, R_OK) != 0) {
		app_err("config: cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	f = rte_cfgfile_load(path, CFG_FLAG_EMPTY_VALUES);
	if (f == NULL) {
		app_err("config: %s is not a valid INI file (sections [name], lines key = value, "
			"comments start with ';'); see the CFGFILE message above",
				path);
		return -1;
	}
	nsec = rte_cfgfile_num_sections(f, NULL, 0);
	for (s = 0; s < nsec; s++) {
		n = rte_cfgfile_section_num_entries_by_index(f, secname, s);
		if (n < 0)
			goto out;
		if (app_key_find(secname, NULL) == NULL) {
			app_err("config: %s: unknown section [%s] (known: ports, engine, control, "
				"closed, listen, state, replay)",
					path, secname);
			goto out;
		}
		free(entries);
		entries = calloc(n ? n : 1, sizeof(*entries));
		if (entries == NULL)
			goto out;
		if (rte_cfgfile_section_entries_by_index(f, s, secname, entries, n) != n)
			goto out;
		for (i = 0; i < n; i++) {
			const struct app_key *k = app_key_find(secname, entries[i].name);

			if (k == NULL) {
				app_keys_of_section(secname, known, sizeof(known));
				app_err("config: %s: unknown key %s in [%s] (known: %s)", path,
						entries[i].name, secname, known);
				goto out;
			}
			if (seen[k - app_keys]) {
				app_err("config: %s: [%s] %s is given twice", path, secname,
						entries[i].name);
				goto out;
			}
			seen[k - app_keys] = true;
			if (app_key_set(cfg, k, entries[i].value, "config") < 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(entries);
	rte_cfgfile_close(f);
	return rc;
}

void
app_usage(FILE *f, const char *prgname)
{
	fprintf(f,
			"usage: %s [EAL options] -- [options]\n"
			"\n"
			"A TCP TIME_WAIT engine on DPDK ports. Every worker lcore (all but the "
			"main one)\n"
			"polls one RX queue of every port; the main lcore runs the 2MSL scan and "
			"stats.\n"
			"\n"
			"options (they override the file of --config):\n"
			"  --config FILE         INI configuration (see config/README.md)\n"
			"  --msl-ms N            [engine] msl_ms: MSL in ms, TIME_WAIT lasts "
			"2*MSL\n"
			"  --capacity N          [engine] capacity: IPv4 entries per worker shard\n"
			"  --stats-period S      [control] stats_period_s: stats block every S s, "
			"0 = end\n"
			"  --closed-policy P     [closed] policy: rst or drop, for segments "
			"without entry\n"
			"  --rss on|off          [ports] rss: off = no RSS, each worker's queue is "
			"fed by\n"
			"                        something else with the app's Toeplitz rule\n"
			"  --load FILE           [state] load: TIME_WAIT state to load at start\n"
			"  --save FILE           [state] save: TIME_WAIT state to write at stop\n"
			"  --replay-exit         stop after [replay] exit_idle_ms (default %u) ms "
			"without\n"
			"                        RX on every port (for pcap replay)\n"
			"  --help                this text\n"
			"\n"
			"exit status: 0 stopped normally (signal or replay end), 1 start-up or "
			"save\n"
			"error, 2 bad command line.\n",
			prgname, APP_REPLAY_EXIT_DEFAULT_MS);
}

enum {
	OPT_CONFIG = 256,
	OPT_MSL_MS,
	OPT_CAPACITY,
	OPT_STATS_PERIOD,
	OPT_SAVE,
	OPT_LOAD,
	OPT_REPLAY_EXIT,
	OPT_CLOSED_POLICY,
	OPT_RSS,
	OPT_HELP,
};

static const struct option app_long_options[] = {
		{"config", required_argument, NULL, OPT_CONFIG},
		{"msl-ms", required_argument, NULL, OPT_MSL_MS},
		{"capacity", required_argument, NULL, OPT_CAPACITY},
		{"stats-period", required_argument, NULL, OPT_STATS_PERIOD},
		{"save", required_argument, NULL, OPT_SAVE},
		{"load", required_argument, NULL, OPT_LOAD},
		{"replay-exit", no_argument, NULL, OPT_REPLAY_EXIT},
		{"closed-policy", required_argument, NULL, OPT_CLOSED_POLICY},
		{"rss", required_argument, NULL, OPT_RSS},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
};

/* An option that sets a key, remembered until the file has been read. */
struct app_override {
	const char *option;
	const char *section;
	const char *key;
	const char *value;
};

int
app_config_parse(int argc, char **argv, struct app_config *cfg)
{
	struct app_override ov[16];
	const char *prgname = argc > 0 ? argv[0] : "dpdk-twq";
	const char *config_path = NULL;
	unsigned int n_ov = 0, i;
	bool replay_exit = false;
	char origin[64];
	int opt;

	app_config_defaults(cfg);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", app_long_options, NULL)) != -1) {
		const char *sec = NULL, *key = NULL, *name = NULL;

		switch (opt) {
		case OPT_CONFIG:
			config_path = optarg;
			continue;
		case OPT_MSL_MS:
			sec = "engine", key = "msl_ms", name = "--msl-ms";
			break;
		case OPT_CAPACITY:
			sec = "engine", key = "capacity", name = "--capacity";
			break;
		case OPT_STATS_PERIOD:
			sec = "control", key = "stats_period_s", name = "--stats-period";
			break;
		case OPT_SAVE:
			sec = "state", key = "save", name = "--save";
			break;
		case OPT_LOAD:
			sec = "state", key = "load", name = "--load";
			break;
		case OPT_CLOSED_POLICY:
			sec = "closed", key = "policy", name = "--closed-policy";
			break;
		case OPT_RSS:
			sec = "ports", key = "rss", name = "--rss";
			break;
		case OPT_REPLAY_EXIT:
			replay_exit = true;
			continue;
		case OPT_HELP:
			app_usage(stdout, prgname);
			return -1;
		case ':':
			fprintf(stderr, "dpdk-twq: option %s needs a value\n", argv[optind - 1]);
			app_usage(stderr, prgname);
			return APP_EXIT_USAGE;
		default:
			fprintf(stderr, "dpdk-twq: unknown option %s\n", argv[optind - 1]);
			app_usage(stderr, prgname);
			return APP_EXIT_USAGE;
		}
		if (n_ov == RTE_DIM(ov)) {
			fprintf(stderr, "dpdk-twq: too many options\n");
			return APP_EXIT_USAGE;
		}
		ov[n_ov++] = (struct app_override){name, sec, key, optarg};
	}
	if (optind < argc) {
		fprintf(stderr, "dpdk-twq: unexpected argument %s\n", argv[optind]);
		app_usage(stderr, prgname);
		return APP_EXIT_USAGE;
	}
	if (config_path != NULL) {
		if (strlcpy(cfg->config_path, config_path, sizeof(cfg->config_path)) >=
				sizeof(cfg->config_path)) {
			app_err("config: file name too long");
			return 1;
		}
		if (app_config_load_file(cfg, config_path) < 0)
			return 1;
	}
	for (i = 0; i < n_ov; i++) {
		snprintf(origin, sizeof(origin), "option %s", ov[i].option);
		if (app_key_set(cfg, app_key_find(ov[i].section, ov[i].key), ov[i].value, origin) <
				0)
			return APP_EXIT_USAGE;
	}
	if (replay_exit && cfg->exit_idle_ms == 0)
		cfg->exit_idle_ms = APP_REPLAY_EXIT_DEFAULT_MS;
	return 0;
}

int
app_config_foreach(const struct app_config *cfg, app_config_key_cb cb, void *arg)
{
	char names[APP_MAX_PORTS * RTE_ETH_NAME_MAX_LEN];
	unsigned int i, j;
	int rc = 0;

	for (i = 0; i < APP_N_KEYS && rc == 0; i++) {
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
			rc = cb(k->section, k->name, app_listen_mode_name(*(const uint32_t *)field), 0,
					arg);
			break;
		}
	}
	return rc;
}

void
app_config_engine_params(const struct app_config *cfg, struct twq_params *p)
{
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->capacity = cfg->capacity;
	p->capacity6 = cfg->capacity6;
	p->msl_ms = cfg->msl_ms;
	p->flags = (cfg->rfc1337 ? 0 : TWQ_F_RST_KILLS) | (cfg->paws ? TWQ_F_PAWS : 0) |
			(cfg->rfc6191 ? TWQ_F_RFC6191 : 0);
	p->ack_limit = cfg->ack_limit;
	p->ack_interval_ms = cfg->ack_interval_ms;
	p->n_local = cfg->n_local;
	for (i = 0; i < cfg->n_local; i++)
		p->local[i] = cfg->local[i];
}
