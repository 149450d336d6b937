/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Strict value parsing (see config_strict.h). */

#include <string.h>

#include "config_strict.h"

int
app_strict_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	const char *p;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	if (v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

char *
app_strict_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

int
app_strict_split(char *buf, char **fields, unsigned int max)
{
	unsigned int n = 0;
	char *p = buf, *comma;

	if (*app_strict_trim(buf) == '\0')
		return 0;
	for (;;) {
		comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		if (n == max)
			return -1;
		fields[n] = app_strict_trim(p);
		if (fields[n][0] == '\0')
			return -1;
		n++;
		if (comma == NULL)
			return (int)n;
		p = comma + 1;
	}
}

int
app_strict_host_bits(const struct twq_prefix *p)
{
	const uint8_t *a = p->is_ipv6 ? p->addr.v6 : (const uint8_t *)&p->addr.v4;
	const unsigned int bytes = p->is_ipv6 ? 16 : 4;
	unsigned int i, bit;

	for (i = 0; i < bytes; i++) {
		for (bit = 0; bit < 8; bit++) {
			if (i * 8 + bit < p->len)
				continue;
			if (a[i] & (0x80u >> bit))
				return 1;
		}
	}
	return 0;
}
