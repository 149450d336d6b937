/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The strict INI reader (see ini_check.h). One pass over the text, line by line; every
 * refusal names the line. The result goes into an rte_cfgfile made with
 * rte_cfgfile_create(), so that the configuration code reads sections and keys through
 * rte_cfgfile as before.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bsd/string.h>

#include "config_strict.h"
#include "ini_check.h"

struct ini_line {
	const char *name;
	unsigned int no;
	char text[CFG_NAME_LEN + CFG_VALUE_LEN + 8];
};

static int __attribute__((format(printf, 3, 4)))
ini_fail(struct app_ini *ini, const struct ini_line *l, const char *fmt, ...)
{
	size_t off;
	va_list ap;

	off = (size_t)snprintf(ini->err, sizeof(ini->err), "%s:%u: ", l->name, l->no);
	if (off < sizeof(ini->err)) {
		va_start(ap, fmt);
		vsnprintf(ini->err + off, sizeof(ini->err) - off, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Length of the UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t
ini_utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
			(cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Check the raw bytes of one line (without its '\n') and copy them into l->text. */
static int
ini_line_text(struct app_ini *ini, struct ini_line *l, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, k;

	if (n > 0 && p[n - 1] == '\r')
		n--; /* CRLF */
	if (n >= sizeof(l->text))
		return ini_fail(ini, l, "line longer than %zu characters", sizeof(l->text) - 1);
	while (i < n) {
		if (u[i] == '\r')
			return ini_fail(ini, l,
					"carriage return inside the line (column %zu): "
					"line ends are LF or CRLF",
					i + 1);
		if (u[i] < 0x20 && u[i] != '\t')
			return ini_fail(ini, l, "control byte 0x%02x (column %zu): not a text file",
					u[i], i + 1);
		if (u[i] == 0x7f)
			return ini_fail(ini, l, "control byte 0x7f (column %zu): not a text file",
					i + 1);
		k = ini_utf8_len(u + i, n - i);
		if (k == 0)
			return ini_fail(ini, l, "byte 0x%02x (column %zu) is not UTF-8 text", u[i],
					i + 1);
		i += k;
	}
	memcpy(l->text, p, n);
	l->text[n] = '\0';
	return 0;
}

/* A section or key name: letters, digits, '_', '-', '.'. */
static bool
ini_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
				    *s == '.'))
			return false;
	return true;
}

static int
ini_section(struct app_ini *ini, struct ini_line *l, char *s, char *section)
{
	size_t n = strlen(s);
	char *name;

	if (s[n - 1] != ']')
		return ini_fail(ini, l, "section header '%s' does not end with ']' (write [name])",
				s);
	s[n - 1] = '\0';
	name = app_strict_trim(s + 1);
	if (!ini_name_ok(name) || strlen(name) >= CFG_NAME_LEN)
		return ini_fail(ini, l,
				"bad section name '[%s]' (letters, digits, '_', '-', '.'; at most "
				"%d characters)",
				name, CFG_NAME_LEN - 1);
	strlcpy(section, name, CFG_NAME_LEN);
	if (rte_cfgfile_has_section(ini->cfg, section))
		return 0; /* repeated: its keys are added to the first */
	if (ini->n_sections == APP_INI_MAX_SECTIONS)
		return ini_fail(ini, l, "more than %d sections", APP_INI_MAX_SECTIONS);
	if (rte_cfgfile_add_section(ini->cfg, section) != 0)
		return ini_fail(ini, l, "cannot add section [%s]", section);
	strlcpy(ini->sections[ini->n_sections].section, section, CFG_NAME_LEN);
	ini->sections[ini->n_sections].name[0] = '\0';
	ini->sections[ini->n_sections++].line = l->no;
	return 0;
}

static int
ini_entry(struct app_ini *ini, struct ini_line *l, char *s, const char *section)
{
	char *eq = strchr(s, '=');
	char *key, *value;
	unsigned int i;

	if (eq == NULL)
		return ini_fail(ini, l,
				"no '=' in '%s': a line is [section], key = value, a ';' comment "
				"or blank",
				s);
	if (section[0] == '\0')
		return ini_fail(ini, l, "key line '%s' before any [section]", s);
	*eq = '\0';
	key = app_strict_trim(s);
	value = app_strict_trim(eq + 1);
	if (!ini_name_ok(key) || strlen(key) >= CFG_NAME_LEN)
		return ini_fail(ini, l,
				"bad key name '%s' (letters, digits, '_', '-', '.'; at most %d "
				"characters)",
				key, CFG_NAME_LEN - 1);
	if (strlen(value) >= CFG_VALUE_LEN)
		return ini_fail(ini, l, "[%s] %s: value longer than %d characters", section, key,
				CFG_VALUE_LEN - 1);
	for (i = 0; i < ini->n_keys; i++)
		if (strcmp(ini->keys[i].section, section) == 0 &&
				strcmp(ini->keys[i].name, key) == 0)
			return ini_fail(ini, l, "[%s] %s is given twice (first at line %u)",
					section, key, ini->keys[i].line);
	if (ini->n_keys == APP_INI_MAX_KEYS)
		return ini_fail(ini, l, "more than %d keys", APP_INI_MAX_KEYS);
	if (rte_cfgfile_add_entry(ini->cfg, section, key, value) != 0)
		return ini_fail(ini, l, "cannot add [%s] %s", section, key);
	strlcpy(ini->keys[ini->n_keys].section, section, CFG_NAME_LEN);
	strlcpy(ini->keys[ini->n_keys].name, key, CFG_NAME_LEN);
	ini->keys[ini->n_keys++].line = l->no;
	return 0;
}

int
app_ini_parse(struct app_ini *ini, const char *name, const char *buf, size_t len)
{
	struct ini_line l = {.name = name};
	char section[CFG_NAME_LEN] = "";
	const char *p = buf, *end = buf + len, *nl;
	char *s, *semi;

	ini->n_keys = 0;
	ini->n_sections = 0;
	ini->err[0] = '\0';
	ini->cfg = rte_cfgfile_create(CFG_FLAG_EMPTY_VALUES);
	if (ini->cfg == NULL) {
		snprintf(ini->err, sizeof(ini->err), "%s: out of memory", name);
		return -1;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3; /* UTF-8 BOM */
	while (p < end) {
		l.no++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (ini_line_text(ini, &l, p, nl ? (size_t)(nl - p) : (size_t)(end - p)) < 0)
			goto fail;
		p = nl ? nl + 1 : end;
		semi = strchr(l.text, ';');
		if (semi != NULL)
			*semi = '\0';
		s = app_strict_trim(l.text);
		if (*s == '\0')
			continue;
		if ((*s == '[' ? ini_section(ini, &l, s, section)
			       : ini_entry(ini, &l, s, section)) < 0)
			goto fail;
	}
	return 0;
fail:
	rte_cfgfile_close(ini->cfg);
	ini->cfg = NULL;
	return -1;
}

int
app_ini_load(struct app_ini *ini, const char *path)
{
	struct stat st = {0};
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd, rc;

	ini->cfg = NULL;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(ini->err, sizeof(ini->err), "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > APP_INI_MAX_SIZE) {
		snprintf(ini->err, sizeof(ini->err), "%s: %s", path,
				S_ISDIR(st.st_mode) ? "is a directory, not a configuration file"
						: !S_ISREG(st.st_mode)
						? "is not a regular file (a FIFO, a device?)"
						: "larger than 1 MiB: not a configuration file");
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		snprintf(ini->err, sizeof(ini->err), "%s: out of memory", path);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		snprintf(ini->err, sizeof(ini->err), "cannot read %s: %s", path,
				errno ? strerror(errno) : "it shrank while being read");
		free(buf);
		return -1;
	}
	rc = app_ini_parse(ini, path, buf, got);
	free(buf);
	return rc;
}

unsigned int
app_ini_line(const struct app_ini *ini, const char *section, const char *name)
{
	unsigned int i;

	if (name == NULL) {
		for (i = 0; i < ini->n_sections; i++)
			if (strcmp(ini->sections[i].section, section) == 0)
				return ini->sections[i].line;
		return 0;
	}
	for (i = 0; i < ini->n_keys; i++)
		if (strcmp(ini->keys[i].section, section) == 0 &&
				strcmp(ini->keys[i].name, name) == 0)
			return ini->keys[i].line;
	return 0;
}

void
app_ini_free(struct app_ini *ini)
{
	if (ini->cfg != NULL)
		rte_cfgfile_close(ini->cfg);
	ini->cfg = NULL;
}
