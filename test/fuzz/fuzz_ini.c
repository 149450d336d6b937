/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Fuzz target: any bytes as the file of --config, read by app/ini_check.c. A refusal must
 * name a line that exists; an accepted file must have given only what the reader promises
 * (ini_check.h): names of letters, digits, '_', '-', '.', values without ';', control bytes
 * or blanks at their ends, each key at a line of the file, no key twice in a section. Then
 * every known key's value goes through the configuration's setter (config_keys.c), and what
 * it accepts must be what config/README.md allows: numbers within bounds, at least one port
 * and no repeat, prefixes without host bits.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_keys.h"
#include "config_strict.h"
#include "fuzz_target.h"
#include "ini_check.h"

static struct app_ini ini;
static struct app_config cfg;
static int saved_stderr = -1, dev_null = -1;

/* The setter explains each refusal on stderr: silenced around it, not for the sanitizers. */
static int
key_set_quiet(const struct app_key *k, const char *value)
{
	int rc;

	fflush(stderr);
	dup2(dev_null, STDERR_FILENO);
	rc = app_key_set(&cfg, k, value, "fuzz");
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	return rc;
}

static unsigned int
count_lines(const uint8_t *d, size_t n)
{
	unsigned int lines = n ? 1 : 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i] == '\n' && i + 1 < n)
			lines++;
	return lines;
}

static void
check_text(const char *s, int is_name)
{
	size_t n = strlen(s);

	if (is_name && n == 0)
		abort();
	if (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		abort();
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 && *s != '\t')
			abort();
		if (*s == ';' || (is_name && strchr("[]= \t", *s) != NULL))
			abort();
	}
}

/* A value the setter accepted must be one the key allows. */
static void
check_value(const struct app_config *cfg, const struct app_key *k)
{
	const void *field = (const char *)cfg + k->off;
	unsigned int i, j;

	switch (k->type) {
	case KEY_U32:
		if (*(const uint32_t *)field < k->min || *(const uint32_t *)field > k->max)
			abort();
		break;
	case KEY_PORTS:
		if (cfg->n_ports == 0 || cfg->n_ports > APP_MAX_PORTS)
			abort();
		for (i = 0; i < cfg->n_ports; i++) {
			if (cfg->port_names[i][0] == '\0')
				abort();
			for (j = 0; j < i; j++)
				if (strcmp(cfg->port_names[i], cfg->port_names[j]) == 0)
					abort();
		}
		break;
	case KEY_PREFIXES:
		for (i = 0; i < cfg->n_local; i++)
			if (app_strict_host_bits(&cfg->local[i]) ||
					cfg->local[i].len > (cfg->local[i].is_ipv6 ? 128 : 32))
				abort();
		break;
	default:
		break;
	}
}

static void
check_accepted(const uint8_t *d, size_t n)
{
	struct rte_cfgfile_entry e[APP_INI_MAX_KEYS];
	char sec[CFG_NAME_LEN];
	unsigned int lines = count_lines(d, n), i, j, total = 0;
	int nsec, s, m;

	for (i = 0; i < ini.n_keys; i++) {
		if (ini.keys[i].line == 0 || ini.keys[i].line > lines ||
				(i > 0 && ini.keys[i].line <= ini.keys[i - 1].line))
			abort();
		if (!rte_cfgfile_has_entry(ini.cfg, ini.keys[i].section, ini.keys[i].name))
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(ini.keys[i].section, ini.keys[j].section) == 0 &&
					strcmp(ini.keys[i].name, ini.keys[j].name) == 0)
				abort();
	}
	app_config_defaults(&cfg);
	nsec = rte_cfgfile_num_sections(ini.cfg, NULL, 0);
	for (s = 0; s < nsec; s++) {
		m = rte_cfgfile_section_entries_by_index(ini.cfg, s, sec, e, APP_INI_MAX_KEYS);
		if (m < 0)
			abort();
		check_text(sec, 1);
		for (j = 0; j < (unsigned int)m; j++) {
			const struct app_key *k = app_key_find(sec, e[j].name);

			check_text(e[j].name, 1);
			check_text(e[j].value, 0);
			if (app_ini_line(&ini, sec, e[j].name) == 0)
				abort();
			if (k != NULL && key_set_quiet(k, e[j].value) == 0)
				check_value(&cfg, k);
		}
		total += (unsigned int)m;
	}
	if (total != ini.n_keys)
		abort();
}

int
fuzz_init(void)
{
	saved_stderr = dup(STDERR_FILENO);
	dev_null = open("/dev/null", O_WRONLY);
	return saved_stderr >= 0 && dev_null >= 0 ? 0 : -1;
}

int
fuzz_one(const uint8_t *data, size_t size)
{
	const char *colon;
	unsigned long line;

	if (app_ini_parse(&ini, "fuzz.ini", (const char *)data, size) == 0) {
		check_accepted(data, size);
	} else {
		/* "fuzz.ini:LINE: what" with a line of the input */
		if (strncmp(ini.err, "fuzz.ini:", 9) != 0)
			abort();
		line = strtoul(ini.err + 9, NULL, 10);
		colon = strchr(ini.err + 9, ':');
		if (line == 0 || line > count_lines(data, size) + 1 || colon == NULL ||
				colon[1] == '\0') {
			fprintf(stderr, "refusal without a good line: %s\n", ini.err);
			abort();
		}
	}
	app_ini_free(&ini);
	return 0;
}
