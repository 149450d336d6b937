/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Configuration: built-in defaults, then the INI file of --config (read by ini_check.c into
 * an rte_cfgfile, every defect refused with its line), then the command-line options. Every key
 * goes through one table and one setter, so a value is checked the same way wherever it comes from.
 * Unknown sections and keys are errors.
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

#include <rte_version.h>

#include "config_keys.h"
#include "ini_check.h"
#include "log.h"
#include "version.h"

const char *
app_closed_policy_name(enum app_closed_policy p)
{
	return p == APP_CLOSED_DROP ? "drop" : "rst";
}

/*
 * Read the file of --config with the strict reader (ini_check.c: every defect refused with
 * its line), then set its keys. @p replay_line and @p ckpt_line are set to the lines of [replay]
 * exit_idle_ms and [state] checkpoint_s, 0 when the file does not set them.
 */
static int
app_config_load_file(struct app_config *cfg, const char *path, unsigned int *replay_line,
		unsigned int *ckpt_line)
{
	static struct app_ini ini;
	bool seen[APP_MAX_KEYS] = {false};
	struct rte_cfgfile_entry *entries = NULL;
	char secname[CFG_NAME_LEN];
	char known[256], origin[PATH_MAX + 16];
	int nsec, s, n, i, rc = -1;

	if (app_ini_load(&ini, path) < 0) {
		app_err("config: %s", ini.err);
		return -1;
	}
	nsec = rte_cfgfile_num_sections(ini.cfg, NULL, 0);
	for (s = 0; s < nsec; s++) {
		n = rte_cfgfile_section_num_entries_by_index(ini.cfg, secname, s);
		if (n < 0)
			goto out;
		if (strncmp(secname, APP_LISTEN_SECTION, strlen(APP_LISTEN_SECTION)) == 0) {
			if (app_config_listener_load(cfg, &ini, path, s, secname) != 0)
				goto out;
			continue;
		}
		if (app_key_find(secname, NULL) == NULL) {
			app_key_sections(known, sizeof(known));
			app_err("config: %s:%u: unknown section [%s] (known: %s)", path,
					app_ini_line(&ini, secname, NULL), secname, known);
			goto out;
		}
		free(entries);
		entries = calloc(n ? n : 1, sizeof(*entries));
		if (entries == NULL)
			goto out;
		if (rte_cfgfile_section_entries_by_index(ini.cfg, s, secname, entries, n) != n)
			goto out;
		for (i = 0; i < n; i++) {
			const struct app_key *k = app_key_find(secname, entries[i].name);
			unsigned int line = app_ini_line(&ini, secname, entries[i].name);

			if (k == NULL) {
				app_keys_of_section(secname, known, sizeof(known));
				app_err("config: %s:%u: unknown key %s in [%s] (known: %s)", path,
						line, entries[i].name, secname, known);
				goto out;
			}
			if (seen[k - app_keys]) {
				app_err("config: %s:%u: [%s] %s is given twice", path, line,
						secname, entries[i].name);
				goto out;
			}
			seen[k - app_keys] = true;
			snprintf(origin, sizeof(origin), "%s:%u", path, line);
			if (app_key_set(cfg, k, entries[i].value, origin) < 0)
				goto out;
		}
	}
	if (app_config_listeners_check(cfg, &ini, path) != 0)
		goto out;
	*replay_line = app_ini_line(&ini, "replay", "exit_idle_ms");
	*ckpt_line = app_ini_line(&ini, "state", "checkpoint_s");
	rc = 0;
out:
	free(entries);
	app_ini_free(&ini);
	return rc;
}

/* Options that set no key; an option that sets a key is in app_keys (opt). */
enum {
	OPT_CONFIG = 1,
	OPT_REPLAY_EXIT,
	OPT_HELP,
	OPT_VERSION,
	OPT_KEY = 256, /* + index in app_keys */
};

static const struct app_opt {
	const char *name;
	int has_arg;
	int val;
	const char *arg;
	const char *help;
} app_opts[] = {
		{"config", required_argument, OPT_CONFIG, "FILE",
				"INI configuration (see config/README.md)"},
		{"replay-exit", no_argument, OPT_REPLAY_EXIT, NULL,
				"stop after [replay] exit_idle_ms ms without RX on every port (for "
				"pcap replay); " RTE_STR(
						APP_REPLAY_EXIT_DEFAULT_MS) " when the "
									    "file does not set it, "
									    "refused with a file's "
									    "explicit 0 (never)"},
		{"help", no_argument, OPT_HELP, NULL, "this text"},
		{"version", no_argument, OPT_VERSION, NULL,
				"print the versions of dpdk-twq and of DPDK, and exit (answered "
				"before EAL starts: needs no hugepages, ports or privileges)"},
};

/* Column of an option's help in the usage text, and the width it is wrapped to. */
#define APP_USAGE_COL   24
#define APP_USAGE_WIDTH 79

/* One option of the usage text: "  --name ARG", then help from column 24, wrapped. */
static void
app_usage_opt(FILE *f, const char *name, const char *arg, const char *prefix, const char *help)
{
	char text[512];
	const char *p = text, *sp;
	int col;

	col = fprintf(f, "  --%s%s%s", name, arg ? " " : "", arg ? arg : "");
	snprintf(text, sizeof(text), "%s%s", prefix, help);
	while (*p != '\0') {
		size_t room = APP_USAGE_WIDTH - APP_USAGE_COL, n = strlen(p);

		fprintf(f, "%*s", col < APP_USAGE_COL ? APP_USAGE_COL - col : 1, "");
		if (n > room) {
			for (sp = p + room; sp > p && *sp != ' '; sp--)
				;
			n = sp > p ? (size_t)(sp - p) : room;
		}
		fprintf(f, "%.*s\n", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
		col = 0;
	}
}

void
app_usage(FILE *f, const char *prgname)
{
	char prefix[64];
	unsigned int i;

	fprintf(f,
			"usage: %s [EAL options] -- [options]\n"
			"\n"
			"A TCP TIME_WAIT engine on DPDK ports. Every worker lcore (all but the "
			"main one)\n"
			"polls one RX queue of every port; the main lcore runs the 2MSL scan and "
			"stats.\n"
			"\n"
			"options (they override the file of --config):\n",
			prgname);
	app_usage_opt(f, app_opts[0].name, app_opts[0].arg, "", app_opts[0].help);
	for (i = 0; i < app_n_keys; i++) {
		const struct app_key *k = &app_keys[i];

		if (k->opt == NULL)
			continue;
		snprintf(prefix, sizeof(prefix), "[%s] %s: ", k->section, k->name);
		app_usage_opt(f, k->opt, k->arg, prefix, k->help);
	}
	for (i = 1; i < RTE_DIM(app_opts); i++)
		app_usage_opt(f, app_opts[i].name, app_opts[i].arg, "", app_opts[i].help);
	fprintf(f,
			"\n"
			"exit status: 0 stopped normally (signal or replay end), 1 start-up or "
			"save\n"
			"error, 2 bad command line.\n");
}

/* getopt_long's table: app_opts, then every key that has an option. */
static void
app_long_options(struct option *lo, size_t max)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(app_opts) && n + 1 < max; i++)
		lo[n++] = (struct option){
				app_opts[i].name, app_opts[i].has_arg, NULL, app_opts[i].val};
	for (i = 0; i < app_n_keys && n + 1 < max; i++)
		if (app_keys[i].opt != NULL)
			lo[n++] = (struct option){
					app_keys[i].opt, required_argument, NULL, OPT_KEY + (int)i};
	lo[n] = (struct option){NULL, 0, NULL, 0};
}

/* An option that sets a key, remembered until the file has been read. */
struct app_override {
	const struct app_key *key;
	const char *value;
};

/* The command line: the options in @p ov, --config in @p config_path; 0 or an exit status. */
static int
app_config_getopt(int argc, char **argv, const char **config_path, bool *replay_exit,
		struct app_override *ov, unsigned int *n_ov, unsigned int max_ov)
{
	struct option lo[RTE_DIM(app_opts) + APP_MAX_KEYS + 1];
	const char *prgname = argc > 0 ? argv[0] : "dpdk-twq";
	int opt;

	app_long_options(lo, RTE_DIM(lo));
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		switch (opt) {
		case OPT_CONFIG:
			*config_path = optarg;
			continue;
		case OPT_REPLAY_EXIT:
			*replay_exit = true;
			continue;
		case OPT_HELP:
			app_usage(stdout, prgname);
			return -1;
		case OPT_VERSION: /* main() answers it before EAL; here if it came in argv[0] */
			printf("dpdk-twq %s (%s)\n", APP_VERSION, rte_version());
			return -1;
		case ':':
			app_err("option %s needs a value", argv[optind - 1]);
			app_usage(stderr, prgname);
			return APP_EXIT_USAGE;
		default:
			if (opt >= OPT_KEY && opt < OPT_KEY + (int)app_n_keys)
				break;
			app_err("unknown option %s", argv[optind - 1]);
			app_usage(stderr, prgname);
			return APP_EXIT_USAGE;
		}
		if (*n_ov == max_ov) {
			app_err("too many options");
			return APP_EXIT_USAGE;
		}
		ov[(*n_ov)++] = (struct app_override){&app_keys[opt - OPT_KEY], optarg};
	}
	if (optind < argc) {
		app_err("unexpected argument %s", argv[optind]);
		app_usage(stderr, prgname);
		return APP_EXIT_USAGE;
	}
	return 0;
}

int
app_config_parse(int argc, char **argv, struct app_config *cfg)
{
	struct app_override ov[16];
	const char *config_path = NULL;
	unsigned int n_ov = 0, i, replay_line = 0, ckpt_line = 0;
	bool replay_exit = false;
	char origin[64];
	int rc;

	app_config_defaults(cfg);
	rc = app_config_getopt(argc, argv, &config_path, &replay_exit, ov, &n_ov, RTE_DIM(ov));
	if (rc != 0)
		return rc;
	if (config_path != NULL) {
		if (strlcpy(cfg->config_path, config_path, sizeof(cfg->config_path)) >=
				sizeof(cfg->config_path)) {
			app_err("config: file name too long");
			return 1;
		}
		if (app_config_load_file(cfg, config_path, &replay_line, &ckpt_line) < 0)
			return 1;
	}
	for (i = 0; i < n_ov; i++) {
		snprintf(origin, sizeof(origin), "option --%s", ov[i].key->opt);
		if (app_key_set(cfg, ov[i].key, ov[i].value, origin) < 0)
			return APP_EXIT_USAGE;
	}
	/* config/README.md: --replay-exit gives 300 ms when the file does not set the key. */
	if (replay_exit && cfg->exit_idle_ms == 0 && replay_line != 0) {
		app_err("option --replay-exit asks to stop when idle, but %s:%u: [replay] "
			"exit_idle_ms = 0 says never: drop one of them, or give the time",
				config_path, replay_line);
		return APP_EXIT_USAGE;
	}
	if (replay_exit && cfg->exit_idle_ms == 0)
		cfg->exit_idle_ms = APP_REPLAY_EXIT_DEFAULT_MS;
	/* Not refused (a file may serve runs with and without --save), but not silent either. */
	if (ckpt_line != 0 && cfg->checkpoint_s != 0 && cfg->save_path[0] == '\0')
		APP_LOG(WARNING,
				"config: %s:%u: [state] checkpoint_s = %u has no effect: "
				"checkpoints need [state] save or --save",
				config_path, ckpt_line, cfg->checkpoint_s);
	return 0;
}

/* Markdown of a key's default: numbers as they are, words in backticks, "empty". */
static void
app_md_default(const struct app_key *k, char *buf, size_t len)
{
	if (k->def[0] == '\0')
		snprintf(buf, len, "empty");
	else if (k->type == KEY_U32)
		snprintf(buf, len, "%s", k->def);
	else
		snprintf(buf, len, "`%s`", k->def);
}

/* Markdown text: '|' escaped. */
static void
app_md_put(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* One row of the keys' table. */
static void
app_md_key(FILE *f, const struct app_key *k)
{
	char def[64], allowed[256];

	app_md_default(k, def, sizeof(def));
	app_key_allowed(k, allowed, sizeof(allowed));
	fprintf(f, "| `[%s]` | `%s` | %s | %s | ", k->section, k->name, def, allowed);
	if (k->opt != NULL) {
		fprintf(f, "`--%s ", k->opt);
		app_md_put(f, k->arg);
		fprintf(f, "`");
	}
	fprintf(f, " | %s |\n", k->help);
}

void
app_config_print_tables(FILE *f)
{
	unsigned int i;

	fprintf(f,
			"| section | key | default | allowed | option | meaning |\n"
			"|---|---|---|---|---|---|\n");
	for (i = 0; i < app_n_keys; i++)
		app_md_key(f, &app_keys[i]);
	for (i = 0; i < app_n_listener_keys; i++)
		app_md_key(f, &app_listener_keys[i]);
	fprintf(f, "\n| option | same as |\n|---|---|\n");
	for (i = 0; i < app_n_keys; i++) {
		const struct app_key *k = &app_keys[i];

		if (k->opt == NULL)
			continue;
		fprintf(f, "| `--%s ", k->opt);
		app_md_put(f, k->arg);
		fprintf(f, "` | `[%s] %s` |\n", k->section, k->name);
	}
	for (i = 0; i < RTE_DIM(app_opts); i++) {
		fprintf(f, "| `--%s%s%s` | %s |\n", app_opts[i].name, app_opts[i].arg ? " " : "",
				app_opts[i].arg ? app_opts[i].arg : "", app_opts[i].help);
	}
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
