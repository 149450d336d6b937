/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The readers of outside input and the safe writer, on their own: strict config values
 * (config_strict.c), the INI reader's line numbers and decisions (ini_check.c), the state
 * file from a buffer (state_file.c: round trip, version 1, each refusal), and the temporary
 * file of atomic_file.c (a symlink at the old fixed name is not followed, mode 0600, the
 * target replaced whole, a bad directory refused).
 */

#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "atomic_file.h"
#include "config_strict.h"
#include "ini_check.h"
#include "state_file.h"

static void
test_strict_u32(void **st)
{
	uint32_t v = 7;

	(void)st;
	assert_int_equal(app_strict_u32("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(app_strict_u32("4294967295", 0, UINT32_MAX, &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(app_strict_u32("4294967296", 0, UINT32_MAX, &v), -1);
	assert_int_equal(app_strict_u32("+5", 0, 10, &v), -1);
	assert_int_equal(app_strict_u32(" 5", 0, 10, &v), -1);
	assert_int_equal(app_strict_u32("05", 0, 10, &v), -1);
	assert_int_equal(app_strict_u32("0x5", 0, 10, &v), -1);
	assert_int_equal(app_strict_u32("5 ", 0, 10, &v), -1);
	assert_int_equal(app_strict_u32("", 0, 10, &v), -1);
	assert_int_equal(app_strict_u32("11", 0, 10, &v), -1);
	assert_int_equal(app_strict_u32("-1", 0, 10, &v), -1);
}

static void
test_strict_split(void **st)
{
	char *f[4];
	char b1[] = " a , b,c ", b2[] = "a,,b", b3[] = "a,", b4[] = ",a", b5[] = "  ",
	     b6[] = "a,b,c,d,e";

	(void)st;
	assert_int_equal(app_strict_split(b1, f, 4), 3);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[1], "b");
	assert_string_equal(f[2], "c");
	assert_int_equal(app_strict_split(b2, f, 4), -1);
	assert_int_equal(app_strict_split(b3, f, 4), -1);
	assert_int_equal(app_strict_split(b4, f, 4), -1);
	assert_int_equal(app_strict_split(b5, f, 4), 0);
	assert_int_equal(app_strict_split(b6, f, 4), -1);
}

static void
test_strict_host_bits(void **st)
{
	struct twq_prefix p;

	(void)st;
	memset(&p, 0, sizeof(p));
	p.addr.v4 = htonl(0xc6120001); /* 198.18.0.1 */
	p.len = 24;
	assert_int_equal(app_strict_host_bits(&p), 1);
	p.len = 32;
	assert_int_equal(app_strict_host_bits(&p), 0);
	p.addr.v4 = htonl(0xc6120000);
	p.len = 15;
	assert_int_equal(app_strict_host_bits(&p), 0);
	p.len = 0;
	assert_int_equal(app_strict_host_bits(&p), 1);
	memset(&p, 0, sizeof(p));
	p.is_ipv6 = 1;
	p.addr.v6[0] = 0x20;
	p.addr.v6[1] = 0x01;
	p.addr.v6[15] = 1;
	p.len = 64;
	assert_int_equal(app_strict_host_bits(&p), 1);
	p.addr.v6[15] = 0;
	assert_int_equal(app_strict_host_bits(&p), 0);
}

/* Parse text; return 0 or -1, the error in err. */
static int
ini(const char *text, char *err, size_t len, struct app_ini *out)
{
	int rc = app_ini_parse(out, "t.ini", text, strlen(text));

	snprintf(err, len, "%s", out->err);
	return rc;
}

static void
test_ini(void **st)
{
	struct app_ini i;
	char err[512], v[CFG_VALUE_LEN];

	(void)st;
	assert_int_equal(ini("\xef\xbb\xbf[engine]\r\n msl_ms\t= 1000 ; c\r\n\r\n[state]\r\nsave "
			     "=\r\n",
					 err, sizeof(err), &i),
			0);
	assert_int_equal(app_ini_line(&i, "engine", "msl_ms"), 2);
	assert_int_equal(app_ini_line(&i, "state", "save"), 5);
	assert_int_equal(app_ini_line(&i, "state", "load"), 0);
	assert_int_equal(rte_cfgfile_has_entry(i.cfg, "engine", "msl_ms"), 1);
	strcpy(v, rte_cfgfile_get_entry(i.cfg, "engine", "msl_ms"));
	assert_string_equal(v, "1000");
	app_ini_free(&i);

	assert_int_equal(ini("[engine]\nmsl_ms 1000\n", err, sizeof(err), &i), -1);
	assert_non_null(strstr(err, "t.ini:2: no '='"));
	app_ini_free(&i);
	assert_int_equal(ini("msl_ms = 1\n[engine]\n", err, sizeof(err), &i), -1);
	assert_non_null(strstr(err, "t.ini:1: key line"));
	app_ini_free(&i);
	assert_int_equal(ini("\n\n[engine\n", err, sizeof(err), &i), -1);
	assert_non_null(strstr(err, "t.ini:3: section header '[engine'"));
	app_ini_free(&i);
	assert_int_equal(ini("[a]\nx = 1\nx = 2\n", err, sizeof(err), &i), -1);
	assert_non_null(strstr(err, "t.ini:3: [a] x is given twice (first at line 2)"));
	app_ini_free(&i);
	assert_int_equal(ini("[a]\nx = 1\rb\n", err, sizeof(err), &i), -1);
	assert_non_null(strstr(err, "t.ini:2: carriage return"));
	app_ini_free(&i);
	assert_int_equal(ini("[a]\nx = \x01\n", err, sizeof(err), &i), -1);
	assert_non_null(strstr(err, "t.ini:2: control byte 0x01"));
	app_ini_free(&i);
	assert_int_equal(ini("[a]\nx = \xc3\x28\n", err, sizeof(err), &i), -1);
	assert_non_null(strstr(err, "t.ini:2: byte 0xc3"));
	app_ini_free(&i);
	assert_int_equal(ini("[a b]\n", err, sizeof(err), &i), -1);
	assert_non_null(strstr(err, "t.ini:1: bad section name"));
	app_ini_free(&i);
	/* A NUL byte (binary file) is a control byte, not the end of the text. */
	assert_int_equal(app_ini_parse(&i, "t.ini", "[a]\nx = 1\n\0\n", 12), -1);
	assert_non_null(strstr(i.err, "t.ini:3: control byte 0x00"));
	app_ini_free(&i);
}

static void
test_ini_load(void **st)
{
	struct app_ini i;
	char dir[] = "/tmp/test_app_input-XXXXXX";

	(void)st;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(app_ini_load(&i, dir), -1);
	assert_non_null(strstr(i.err, "is a directory"));
	assert_int_equal(app_ini_load(&i, "/dev/null"), -1);
	assert_non_null(strstr(i.err, "not a regular file"));
	rmdir(dir);
}

struct mem {
	const uint8_t *p;
	size_t left;
};

static ssize_t
mem_read(void *src, void *buf, size_t len)
{
	struct mem *m = src;

	len = len < m->left ? len : m->left;
	memcpy(buf, m->p, len);
	m->p += len;
	m->left -= len;
	return (ssize_t)len;
}

static int
count_cb(const struct twq_entry_info *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

/* Read a buffer as a state file: records seen, or -1 with err. */
static int
read_buf(const uint8_t *d, size_t n, char *err, size_t len, struct app_state_reader *r)
{
	static uint8_t scratch[2 * APP_STATE_REC_SIZE];
	struct mem m = {d, n};
	int seen = 0, rc;

	memset(r, 0, sizeof(*r));
	r->read = mem_read;
	r->src = &m;
	r->size = n;
	r->buf = scratch;
	r->buf_len = sizeof(scratch);
	rc = app_state_read_header(r);
	if (rc == 0)
		rc = app_state_read_records(r, count_cb, &seen);
	snprintf(err, len, "%s", r->err);
	return rc == 0 ? seen : -1;
}

/* A version 2 file of n entries in buf; returns its size. */
static size_t
make_v2(uint8_t *buf, unsigned int n, uint64_t saved, uint64_t clock)
{
	struct app_state_hdr h;
	struct twq_entry_info e;
	struct app_state_rec *rec = (struct app_state_rec *)(buf + sizeof(h));
	uint32_t crc = 0xffffffff, t;
	unsigned int i;

	memset(&e, 0, sizeof(e));
	for (i = 0; i < n; i++) {
		e.key.laddr.v4 = htonl(0xc6120001);
		e.key.raddr.v4 = htonl(0xc6130000 + i);
		e.key.lport = 80;
		e.key.rport = (uint16_t)(1000 + i);
		e.snd_nxt = i;
		e.remaining_ms = 1000 + i;
		app_state_rec_encode(&e, &rec[i]);
	}
	crc = app_crc32c_update(crc, rec, n * sizeof(*rec));
	app_state_hdr_make(&h, n, saved, clock);
	memcpy(buf, &h, sizeof(h));
	t = app_state_crc_v2(crc, &h);
	memcpy(buf + sizeof(h) + n * sizeof(*rec), &t, 4);
	return sizeof(h) + n * sizeof(*rec) + 4;
}

static void
test_state_buffer(void **st)
{
	static uint8_t buf[48 + 5 * 64 + 4], v1[32 + 5 * 64 + 4];
	struct app_state_reader r;
	char err[200];
	size_t n = make_v2(buf, 5, 1234, 5678);
	uint32_t crc;

	(void)st;
	assert_int_equal(n, sizeof(buf));
	assert_int_equal(app_crc32c("123456789", 9), 0xe3069283);
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), 5);
	assert_int_equal(r.version, 2);
	assert_int_equal(r.saved_unix_ms, 1234);
	assert_int_equal(r.ts_clock_ms, 5678);
	/* The same records as version 1: 32-byte header, CRC over header then records. */
	memcpy(v1, buf, 32);
	v1[8] = 1;
	memcpy(v1 + 32, buf + 48, 5 * 64);
	crc = app_crc32c(v1, 32 + 5 * 64);
	memcpy(v1 + 32 + 5 * 64, &crc, 4);
	assert_int_equal(read_buf(v1, sizeof(v1), err, sizeof(err), &r), 5);
	assert_int_equal(r.version, 1);
	assert_int_equal(r.ts_clock_ms, 0);
	/* Refusals, each with its reason. */
	assert_int_equal(read_buf(buf, n - 1, err, sizeof(err), &r), -1);
	assert_non_null(strstr(err, "does not match count"));
	buf[48 + 64 + 40] ^= 1;
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), -1);
	assert_non_null(strstr(err, "CRC-32C mismatch"));
	buf[48 + 64 + 40] ^= 1;
	buf[40] = 1; /* header reserved */
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), -1);
	assert_non_null(strstr(err, "reserved"));
	buf[40] = 0;
	buf[32] ^= 1; /* ts_clock_ms: covered by the CRC, though after the records */
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), -1);
	assert_non_null(strstr(err, "CRC-32C mismatch"));
	buf[32] ^= 1;
	buf[8] = 3;
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), -1);
	assert_non_null(strstr(err, "version 3"));
	buf[8] = 2;
	memcpy(buf, "NOTSTATE", 8);
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), -1);
	assert_non_null(strstr(err, "magic"));
	assert_int_equal(read_buf(buf, 10, err, sizeof(err), &r), -1);
	assert_non_null(strstr(err, "truncated"));
	/*
	 * A clock no process ever had (CRC valid): ts_clock_ms + the time since the save would
	 * wrap, and TSval would go back instead of continuing.
	 */
	n = make_v2(buf, 5, 1234, UINT64_MAX - 5000);
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), -1);
	assert_non_null(strstr(err, "ts_clock_ms"));
	n = make_v2(buf, 5, 1234, APP_STATE_TS_CLOCK_MAX);
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), 5);
	n = make_v2(buf, 5, 1234, APP_STATE_TS_CLOCK_MAX + 1);
	assert_int_equal(read_buf(buf, n, err, sizeof(err), &r), -1);
}

static void
test_atomic(void **st)
{
	char dir[] = "/tmp/test_app_input-XXXXXX", target[PATH_MAX], victim[PATH_MAX],
	     link[PATH_MAX + 8], err[PATH_MAX + 256], got[32], left[PATH_MAX + 32],
	     left_link[PATH_MAX + 32], other[PATH_MAX + 32];
	struct app_atomic_file f;
	struct stat sb;
	FILE *fp;

	(void)st;
	assert_non_null(mkdtemp(dir));
	snprintf(target, sizeof(target), "%s/state.twq", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(link, sizeof(link), "%s.tmp", target);
	fp = fopen(victim, "w");
	fputs("precious", fp);
	fclose(fp);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(app_atomic_check(target, err, sizeof(err)), 0);
	assert_int_equal(app_atomic_open(&f, target), 0);
	assert_string_not_equal(f.tmp_path, link);
	assert_non_null(strstr(f.tmp_path, "/.state.twq.tmp-"));
	assert_int_equal(app_atomic_write(&f, "new", 3), 0);
	assert_int_equal(app_atomic_commit(&f, target), 0);
	fp = fopen(target, "r");
	assert_non_null(fgets(got, sizeof(got), fp));
	fclose(fp);
	assert_string_equal(got, "new");
	assert_int_equal(stat(target, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	fp = fopen(victim, "r");
	assert_non_null(fgets(got, sizeof(got), fp));
	fclose(fp);
	assert_string_equal(got, "precious");
	assert_int_equal(lstat(link, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	/* Bad places to save. */
	assert_int_equal(app_atomic_check(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is a directory"));
	snprintf(target, sizeof(target), "%s/victim/x", dir);
	assert_int_equal(app_atomic_check(target, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a directory"));
	snprintf(target, sizeof(target), "%s/none/x", dir);
	assert_int_equal(app_atomic_check(target, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	/* An aborted file leaves nothing. */
	snprintf(target, sizeof(target), "%s/state.twq", dir);
	assert_int_equal(app_atomic_open(&f, target), 0);
	app_atomic_abort(&f);
	assert_int_equal(access(f.tmp_path, F_OK), -1);
	/* Left by a killed save: removed; a symlink or another name of the pattern: kept. */
	snprintf(left, sizeof(left), "%s/.state.twq.tmp-ABCDEFGH", dir);
	fp = fopen(left, "w");
	fclose(fp);
	snprintf(left_link, sizeof(left_link), "%s/.state.twq.tmp-SYMLINK1", dir);
	assert_int_equal(symlink(victim, left_link), 0);
	snprintf(other, sizeof(other), "%s/.state.twq.tmp-short", dir);
	fp = fopen(other, "w");
	fclose(fp);
	assert_int_equal(app_atomic_cleanup(target), 1);
	assert_int_equal(access(left, F_OK), -1);
	assert_int_equal(lstat(left_link, &sb), 0);
	assert_int_equal(access(other, F_OK), 0);
	assert_int_equal(access(victim, F_OK), 0);
	unlink(left_link);
	unlink(other);
	unlink(link);
	unlink(victim);
	unlink(target);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_strict_u32),
			cmocka_unit_test(test_strict_split),
			cmocka_unit_test(test_strict_host_bits),
			cmocka_unit_test(test_ini),
			cmocka_unit_test(test_ini_load),
			cmocka_unit_test(test_state_buffer),
			cmocka_unit_test(test_atomic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
