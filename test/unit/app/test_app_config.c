/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The configuration's [listen.NAME] sections (config_listen.c) through app_config_parse():
 * each section's keys land in its own listener with the group's defaults, /twq/config's walk
 * shows them, and every refusal (a port in two listeners, a listener without ports, a bad
 * NAME, an appliance-wide key, too many sections) stops the start with exit status 1.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config_keys.h"

static struct app_config cfg;
static char path[] = "/tmp/test_app_config-XXXXXX";

static int
parse_text(const char *text)
{
	char *argv[] = {"dpdk-twq", "--config", path, NULL};
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return app_config_parse(3, argv, &cfg);
}

#define LISTEN "[listen]\naddresses = 198.18.0.2\nports = 80, 443\nbody_file = /b\n"

static void
test_default_only(void **st)
{
	(void)st;
	assert_int_equal(parse_text(LISTEN), 0);
	assert_int_equal(cfg.n_named, 0);
	assert_string_equal(cfg.listen_ports, "80, 443");
	assert_string_equal(cfg.body_file, "/b");
}

struct walk {
	char got[1024];
};

static int
walk_cb(const char *section, const char *name, const char *text, uint64_t num, void *arg)
{
	struct walk *w = arg;
	size_t n = strlen(w->got);

	if (strncmp(section, "listen.", 7) != 0)
		return 0;
	if (text != NULL)
		snprintf(w->got + n, sizeof(w->got) - n, "[%s] %s=%s;", section, name, text);
	else
		snprintf(w->got + n, sizeof(w->got) - n, "[%s] %s=%lu;", section, name,
				(unsigned long)num);
	return 0;
}

static void
test_named(void **st)
{
	struct walk w = {""};

	(void)st;
	assert_int_equal(parse_text(LISTEN "[listen.api]\nports = 8080\nbody_file = /api\n"
					   "content_type = application/json\nmode = raw\n"
					   "keepalive_requests = 3\n"
					   "[engine]\nmsl_ms = 1000\n"
					   "[listen.b_2]\nbody_file = /b2\nports = 9000, 9001\n"),
			0);
	assert_int_equal(cfg.n_named, 2);
	assert_string_equal(cfg.named[0].name, "listen.api");
	assert_string_equal(cfg.named[0].ports_text, "8080");
	assert_string_equal(cfg.named[0].body_file, "/api");
	assert_string_equal(cfg.named[0].content_type, "application/json");
	assert_int_equal(cfg.named[0].mode, TCPTERM_MODE_RAW);
	assert_int_equal(cfg.named[0].keepalive_requests, 3);
	/* The group's defaults. */
	assert_string_equal(cfg.named[1].name, "listen.b_2");
	assert_string_equal(cfg.named[1].ports_text, "9000, 9001");
	assert_string_equal(cfg.named[1].content_type, "text/plain");
	assert_int_equal(cfg.named[1].mode, TCPTERM_MODE_HTTP);
	assert_int_equal(cfg.named[1].keepalive_requests, 1);
	/* [listen] unchanged by them. */
	assert_string_equal(cfg.listen_ports, "80, 443");
	assert_string_equal(cfg.content_type, "text/plain");
	assert_int_equal(cfg.msl_ms, 1000);
	/* /twq/config's walk: each section with its five keys, in the file's order. */
	assert_int_equal(app_config_foreach(&cfg, walk_cb, &w), 0);
	assert_string_equal(w.got,
			"[listen.api] ports=8080;[listen.api] body_file=/api;"
			"[listen.api] content_type=application/json;"
			"[listen.api] mode=raw;[listen.api] keepalive_requests=3;"
			"[listen.b_2] ports=9000, 9001;[listen.b_2] body_file=/b2;"
			"[listen.b_2] content_type=text/plain;[listen.b_2] mode=http;"
			"[listen.b_2] keepalive_requests=1;");
	/* Listeners without [listen] ports. */
	assert_int_equal(parse_text("[listen]\naddresses = 198.18.0.2\n"
				    "[listen.a]\nports = 80\nbody_file = /a\n"),
			0);
	assert_int_equal(cfg.n_named, 1);
	assert_string_equal(cfg.listen_ports, "");
}

static void
test_refused(void **st)
{
	char text[4096];
	size_t off;
	int i;

	(void)st;
	/* A port in two listeners: [listen] and a named one, two named ones. */
	assert_int_equal(parse_text(LISTEN "[listen.a]\nports = 8080, 443\nbody_file = /a\n"), 1);
	assert_int_equal(parse_text(LISTEN "[listen.a]\nports = 8080\nbody_file = /a\n"
					   "[listen.b]\nports = 8081, 8080\nbody_file = /b\n"),
			1);
	/* Required keys, the NAME, keys of other sections, bad values. */
	assert_int_equal(parse_text(LISTEN "[listen.a]\nbody_file = /a\n"), 1);
	assert_int_equal(parse_text(LISTEN "[listen.a]\nports = 8080\n"), 1);
	assert_int_equal(parse_text(LISTEN "[listen.a-b]\nports = 1\nbody_file = /a\n"), 1);
	assert_int_equal(parse_text(LISTEN "[listen.]\nports = 1\nbody_file = /a\n"), 1);
	assert_int_equal(parse_text(LISTEN "[listen.a]\nports = 1\nbody_file = /a\naddresses = "
					   "198.18.0.3\n"),
			1);
	assert_int_equal(parse_text(LISTEN "[listen.a]\nports = 1\nbody_file = /a\nmode = x\n"), 1);
	assert_int_equal(parse_text(LISTEN "[listen.a]\nports = 0\nbody_file = /a\n"), 1);
	assert_int_equal(parse_text(LISTEN "[listen.a]\nports = 1, 1\nbody_file = /a\n"), 1);
	/* At most APP_LISTEN_NAMED_MAX sections. */
	off = (size_t)snprintf(text, sizeof(text), "%s", LISTEN);
	for (i = 0; i < APP_LISTEN_NAMED_MAX; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
				"[listen.l%d]\nports = %d\nbody_file = /x\n", i, 1000 + i);
	assert_int_equal(parse_text(text), 0);
	assert_int_equal(cfg.n_named, APP_LISTEN_NAMED_MAX);
	snprintf(text + off, sizeof(text) - off, "[listen.more]\nports = 2000\nbody_file = /x\n");
	assert_int_equal(parse_text(text), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_default_only),
			cmocka_unit_test(test_named),
			cmocka_unit_test(test_refused),
	};
	int fd = mkstemp(path), rc;

	if (fd < 0)
		return 1;
	close(fd);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	return rc;
}
