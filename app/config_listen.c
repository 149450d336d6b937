/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The [listen.NAME] sections: more listeners beside [listen], each with its own ports and
 * response. Their keys are one group of the key table (config_keys.h), set by the same
 * setter as every other key; the checks that need the whole file (a port in two listeners,
 * a listener without ports or body) run once it has been read and name the lines.
 */

#include <stdio.h>
#include <string.h>

#include <bsd/string.h>

#include "config_keys.h"
#include "ini_check.h"
#include "listen.h"
#include "log.h"

#define LKEY(nm, ty, field, lo, hi, dflt, text) \
	{ \
		.section = APP_LISTEN_SECTION "NAME", .name = nm, .type = ty, \
		.off = offsetof(struct app_listener_cfg, field), .min = lo, .max = hi, \
		.def = dflt, .help = text, \
	}

const struct app_key app_listener_keys[] = {
		LKEY("ports", KEY_LPORTS, ports_text, 0, 0, "",
				"another listener (NAME: letters, digits, '_'): its TCP ports, "
				"none of them in another listener; required"),
		LKEY("body_file", KEY_PATH, body_file, 0, 0, "",
				"its response body (read at start); required"),
		LKEY("content_type", KEY_TEXT, content_type, 0, 0, "text/plain",
				"its Content-Type (HTTP)"),
		LKEY("mode", KEY_MODE, mode, 0, 0, "http", "its mode, as [listen] mode"),
		LKEY("keepalive_requests", KEY_U32, keepalive_requests, 0, 1000000, "1",
				"its requests per connection, as [listen] keepalive_requests"),
};

const unsigned int app_n_listener_keys = RTE_DIM(app_listener_keys);

static const struct app_key *
listener_key(const char *name)
{
	unsigned int i;

	for (i = 0; i < app_n_listener_keys; i++)
		if (strcmp(app_listener_keys[i].name, name) == 0)
			return &app_listener_keys[i];
	return NULL;
}

/* NAME of [listen.NAME]: letters, digits and '_' (a telemetry name, a stats key). */
static bool
listener_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				    (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* A new listener with the group's defaults. */
static int
listener_new(struct app_config *cfg, const char *secname, struct app_listener_cfg **out)
{
	struct app_listener_cfg *l = &cfg->named[cfg->n_named];
	unsigned int i;

	memset(l, 0, sizeof(*l));
	strlcpy(l->name, secname, sizeof(l->name));
	for (i = 0; i < app_n_listener_keys; i++) {
		const struct app_key *k = &app_listener_keys[i];

		if (app_key_set_at(cfg, k, secname, (char *)l + k->off, k->def, "default") != 0)
			return -1;
	}
	cfg->n_named++;
	*out = l;
	return 0;
}

int
app_config_listener_load(struct app_config *cfg, const struct app_ini *ini, const char *path, int s,
		const char *secname)
{
	static struct rte_cfgfile_entry e[APP_INI_MAX_KEYS];
	const unsigned int sline = app_ini_line(ini, secname, NULL);
	struct app_listener_cfg *l;
	char known[256], origin[PATH_MAX + 16], name[CFG_NAME_LEN];
	unsigned int j;
	int n, i;

	if (!listener_name_ok(secname + strlen(APP_LISTEN_SECTION))) {
		app_err("config: %s:%u: [%s]: a listener's NAME is letters, digits and '_' "
			"([listen.web])",
				path, sline, secname);
		return -1;
	}
	if (cfg->n_named == APP_LISTEN_NAMED_MAX) {
		app_err("config: %s:%u: [%s]: more than %d [listen.NAME] sections", path, sline,
				secname, APP_LISTEN_NAMED_MAX);
		return -1;
	}
	if (listener_new(cfg, secname, &l) != 0)
		return -1;
	n = rte_cfgfile_section_entries_by_index(ini->cfg, s, name, e, APP_INI_MAX_KEYS);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct app_key *k = listener_key(e[i].name);
		const unsigned int line = app_ini_line(ini, secname, e[i].name);

		if (k == NULL) {
			known[0] = '\0';
			for (j = 0; j < app_n_listener_keys; j++) {
				if (j != 0)
					strlcat(known, ", ", sizeof(known));
				strlcat(known, app_listener_keys[j].name, sizeof(known));
			}
			app_err("config: %s:%u: unknown key %s in [%s] (known: %s; the others are "
				"appliance-wide, in [listen])",
					path, line, e[i].name, secname, known);
			return -1;
		}
		snprintf(origin, sizeof(origin), "%s:%u", path, line);
		if (app_key_set_at(cfg, k, secname, (char *)l + k->off, e[i].value, origin) != 0)
			return -1;
	}
	return 0;
}

/* The line of a listener's key, or of its section when the key is not in the file. */
static unsigned int
listener_line(const struct app_ini *ini, const char *sec, const char *key)
{
	const unsigned int line = app_ini_line(ini, sec, key);

	return line != 0 ? line : app_ini_line(ini, sec, NULL);
}

/* Whether port p is one of ports[0 .. n-1]. */
static bool
port_in(uint16_t p, const uint16_t *ports, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (ports[i] == p)
			return true;
	return false;
}

int
app_config_listeners_check(
		const struct app_config *cfg, const struct app_ini *ini, const char *path)
{
	static uint16_t ports[1 + APP_LISTEN_NAMED_MAX][APP_LISTEN_PORTS_MAX];
	const char *names[1 + APP_LISTEN_NAMED_MAX], *texts[1 + APP_LISTEN_NAMED_MAX];
	int np[1 + APP_LISTEN_NAMED_MAX];
	unsigned int n = 0, a, b;
	char err[160];
	int i;

	if (cfg->listen_ports[0] != '\0') {
		names[n] = "listen";
		texts[n++] = cfg->listen_ports;
	}
	for (a = 0; a < cfg->n_named; a++) {
		const struct app_listener_cfg *l = &cfg->named[a];
		const char *missing = l->ports_text[0] == '\0' ? "ports"
				: l->body_file[0] == '\0'      ? "body_file"
							       : NULL;

		if (missing != NULL) {
			app_err("config: %s:%u: [%s] has no %s: a listener needs ports = and "
				"body_file =",
					path, app_ini_line(ini, l->name, NULL), l->name, missing);
			return -1;
		}
		names[n] = l->name;
		texts[n++] = l->ports_text;
	}
	for (a = 0; a < n; a++) {
		np[a] = app_listen_parse_ports(
				texts[a], ports[a], APP_LISTEN_PORTS_MAX, err, sizeof(err));
		if (np[a] < 0)
			return -1; /* app_key_set() refused it already */
		for (b = 0; b < a; b++)
			for (i = 0; i < np[a]; i++) {
				if (!port_in(ports[a][i], ports[b], np[b]))
					continue;
				app_err("config: %s:%u: [%s] ports = %s: port %u is also in [%s] "
					"ports (line %u): a port belongs to one listener",
						path, listener_line(ini, names[a], "ports"),
						names[a], texts[a], ports[a][i], names[b],
						listener_line(ini, names[b], "ports"));
				return -1;
			}
	}
	return 0;
}

int
app_config_listeners_foreach(const struct app_config *cfg, app_config_key_cb cb, void *arg)
{
	unsigned int i, j;
	int rc = 0;

	for (i = 0; i < cfg->n_named && rc == 0; i++) {
		const struct app_listener_cfg *l = &cfg->named[i];

		for (j = 0; j < app_n_listener_keys && rc == 0; j++) {
			const struct app_key *k = &app_listener_keys[j];
			const void *field = (const char *)l + k->off;

			if (k->type == KEY_U32)
				rc = cb(l->name, k->name, NULL, *(const uint32_t *)field, arg);
			else if (k->type == KEY_MODE)
				rc = cb(l->name, k->name,
						app_listen_mode_name(*(const uint32_t *)field), 0,
						arg);
			else
				rc = cb(l->name, k->name, field, 0, arg);
		}
	}
	return rc;
}
