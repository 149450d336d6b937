/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The TIME_WAIT view of telemetry, what `ss -o state time-wait` gives on Linux:
 *
 *   /twq/ages                  per shard, a histogram of the entries' remaining lifetimes
 *   /twq/entries[,FILTER]      a page of at most 64 entries matching FILTER, and the cursor
 *                              of the next page
 *
 * Both walk the shards in storage order (twq_walk through app_shard_walk) in slices of
 * TEL_VIEW_SLICE slots, each under the shard's lock, stepping aside between slices for a
 * waiting worker; the worker counts such a wait (lock_waits). Malformed parameters get a dict with
 * "error" and "expected", not a null.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include <rte_telemetry.h>

#include "telemetry.h"

/*
 * Slots visited per lock hold. Between slices the walk steps aside for a waiting worker, as
 * the scan does: the telemetry thread can be preempted holding the lock on a shared CPU.
 */
#define TEL_VIEW_SLICE 1024

/* Most entries in a page of /twq/entries. */
#define TEL_ENTRIES_MAX 64

/* Most slots one /twq/entries call visits (then it returns the cursor, page not full). */
#define TEL_ENTRIES_SCAN_MAX (1u << 22)

/* Upper bounds (ms, inclusive) of the histogram's buckets; the last bucket is unbounded. */
static const uint32_t tel_age_bounds[] = {
		100, 1000, 5000, 10000, 20000, 30000, 45000, 60000, 120000, 240000};
#define TEL_AGE_BUCKETS (RTE_DIM(tel_age_bounds) + 1)

/* Under RTE_TEL_MAX_STRING_LEN (128), like every string of a reply. */
#define TEL_ENTRIES_EXPECTED \
	"key=value,... of addr|laddr|raddr=IPv4/IPv6 address, port|lport|rport=0..65535, " \
	"limit=1..64, cursor=S.N (next)"

/* A reply that says what is wrong with the parameters. */
static int
tel_view_error(struct rte_tel_data *d, const char *why, const char *expected)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", why);
	rte_tel_data_add_dict_string(d, "expected", expected);
	return 0;
}

/* Walk every slot of one shard in slices; cb's negative value stops (and is returned). */
static int
tel_view_walk_shard(struct app_shard *sh, twq_foreach_cb cb, void *arg)
{
	uint64_t cursor = 0;
	int rc;

	while ((rc = app_shard_walk(sh, &cursor, TEL_VIEW_SLICE, cb, arg)) == 0)
		app_shard_step_aside(sh);
	return rc < 0 ? rc : 0;
}

static int
tel_age_count(const struct twq_entry_info *e, void *arg)
{
	uint64_t *h = arg;
	unsigned int b = 0;

	while (b < RTE_DIM(tel_age_bounds) && e->remaining_ms > tel_age_bounds[b])
		b++;
	h[b]++;
	return 0;
}

/* Bucket names: "le_100" ... "le_240000", then "gt_240000". */
static void
tel_age_name(unsigned int b, char *buf, size_t len)
{
	if (b < RTE_DIM(tel_age_bounds))
		snprintf(buf, len, "le_%u", tel_age_bounds[b]);
	else
		snprintf(buf, len, "gt_%u", tel_age_bounds[RTE_DIM(tel_age_bounds) - 1]);
}

static struct rte_tel_data *
tel_age_dict(const uint64_t h[TEL_AGE_BUCKETS])
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	uint64_t n = 0;
	char name[32];
	unsigned int b;

	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	for (b = 0; b < TEL_AGE_BUCKETS; b++) {
		tel_age_name(b, name, sizeof(name));
		rte_tel_data_add_dict_u64(c, name, h[b]);
		n += h[b];
	}
	rte_tel_data_add_dict_u64(c, "entries", n);
	return c;
}

static int
tel_ages(struct app_ctx *ctx, const char *params, struct rte_tel_data *d)
{
	uint64_t h[TEL_AGE_BUCKETS], tot[TEL_AGE_BUCKETS] = {0};
	struct rte_tel_data *c;
	unsigned int w, b;
	char key[16];

	if (params != NULL && params[0] != '\0')
		return tel_view_error(
				d, "/twq/ages takes no parameters", "nothing after the command");
	rte_tel_data_start_dict(d);
	for (w = 0; w <= ctx->n_workers; w++) {
		if (w < ctx->n_workers) {
			memset(h, 0, sizeof(h));
			tel_view_walk_shard(&ctx->shards[w], tel_age_count, h);
			for (b = 0; b < TEL_AGE_BUCKETS; b++)
				tot[b] += h[b];
			snprintf(key, sizeof(key), "%u", w);
		} else {
			memcpy(h, tot, sizeof(h));
			snprintf(key, sizeof(key), "all");
		}
		c = tel_age_dict(h);
		if (c == NULL)
			return -ENOMEM;
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0) {
			rte_tel_data_free(c);
			return -ENOSPC;
		}
	}
	return 0;
}

/* What /twq/entries selects, and where it goes on from. */
struct tel_filter {
	int has_laddr, has_raddr, has_addr;
	int laddr6, raddr6, addr6;
	union tcpseg_addr laddr, raddr, addr;
	int lport, rport, port; /* -1: any */
	unsigned int limit;
	unsigned int shard; /* cursor: shard, then slot id within it */
	uint64_t slot;
};

static int
tel_parse_addr(const char *v, union tcpseg_addr *a, int *v6)
{
	memset(a, 0, sizeof(*a));
	*v6 = strchr(v, ':') != NULL;
	return inet_pton(*v6 ? AF_INET6 : AF_INET, v, *v6 ? (void *)a->v6 : (void *)&a->v4) == 1
			? 0
			: -1;
}

static int
tel_parse_num(const char *v, long long lo, long long hi, long long *out)
{
	const char *errstr = NULL;

	*out = strtonum(v, lo, hi, &errstr);
	return errstr == NULL ? 0 : -1;
}

/* One key=value of the filter; -1 with why filled. */
static int
tel_filter_kv(struct tel_filter *f, const char *k, const char *v, char *why, size_t len)
{
	long long n, s;
	char *dot;

	if (strcmp(k, "addr") == 0 || strcmp(k, "laddr") == 0 || strcmp(k, "raddr") == 0) {
		union tcpseg_addr *a = k[0] == 'a' ? &f->addr : k[0] == 'l' ? &f->laddr : &f->raddr;
		int *v6 = k[0] == 'a' ? &f->addr6 : k[0] == 'l' ? &f->laddr6 : &f->raddr6;

		*(k[0] == 'a' ? &f->has_addr : k[0] == 'l' ? &f->has_laddr : &f->has_raddr) = 1;
		if (tel_parse_addr(v, a, v6) == 0)
			return 0;
		snprintf(why, len, "%s=%s is not an IPv4 or IPv6 address", k, v);
		return -1;
	}
	if (strcmp(k, "port") == 0 || strcmp(k, "lport") == 0 || strcmp(k, "rport") == 0) {
		if (tel_parse_num(v, 0, 65535, &n) == 0) {
			*(k[0] == 'p' ? &f->port : k[0] == 'l' ? &f->lport : &f->rport) = (int)n;
			return 0;
		}
		snprintf(why, len, "%s=%s is not a port 0..65535", k, v);
		return -1;
	}
	if (strcmp(k, "limit") == 0) {
		if (tel_parse_num(v, 1, TEL_ENTRIES_MAX, &n) == 0) {
			f->limit = (unsigned int)n;
			return 0;
		}
		snprintf(why, len, "limit=%s is not 1..%d", v, TEL_ENTRIES_MAX);
		return -1;
	}
	if (strcmp(k, "cursor") == 0) {
		char buf[64];

		if (strlcpy(buf, v, sizeof(buf)) < sizeof(buf) &&
				(dot = strchr(buf, '.')) != NULL) {
			*dot = '\0';
			if (tel_parse_num(buf, 0, RTE_MAX_LCORE, &s) == 0 &&
					tel_parse_num(dot + 1, 0, INT64_MAX, &n) == 0) {
				f->shard = (unsigned int)s;
				f->slot = (uint64_t)n;
				return 0;
			}
		}
		snprintf(why, len, "cursor=%s is not SHARD.SLOT as given in next", v);
		return -1;
	}
	snprintf(why, len, "unknown key %s", k);
	return -1;
}

static int
tel_filter_parse(const char *params, struct tel_filter *f, char *why, size_t len)
{
	char buf[256], *tok, *save = NULL, *eq;

	memset(f, 0, sizeof(*f));
	f->lport = f->rport = f->port = -1;
	f->limit = TEL_ENTRIES_MAX;
	if (params == NULL || params[0] == '\0')
		return 0;
	if (strlcpy(buf, params, sizeof(buf)) >= sizeof(buf)) {
		snprintf(why, len, "parameters longer than %zu characters", sizeof(buf) - 1);
		return -1;
	}
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		if (eq == NULL) {
			snprintf(why, len, "%.40s is not key=value", tok);
			return -1;
		}
		*eq = '\0';
		if (tel_filter_kv(f, tok, eq + 1, why, len) < 0)
			return -1;
	}
	return 0;
}

static bool
tel_addr_eq(const union tcpseg_addr *a, int a6, const union tcpseg_addr *b, int b6)
{
	if (a6 != b6)
		return false;
	return a6 ? memcmp(a->v6, b->v6, 16) == 0 : a->v4 == b->v4;
}

static bool
tel_filter_match(const struct tel_filter *f, const struct twq_key *k)
{
	const int v6 = k->is_ipv6;

	if (f->has_laddr && !tel_addr_eq(&f->laddr, f->laddr6, &k->laddr, v6))
		return false;
	if (f->has_raddr && !tel_addr_eq(&f->raddr, f->raddr6, &k->raddr, v6))
		return false;
	if (f->has_addr && !tel_addr_eq(&f->addr, f->addr6, &k->laddr, v6) &&
			!tel_addr_eq(&f->addr, f->addr6, &k->raddr, v6))
		return false;
	if (f->lport >= 0 && k->lport != f->lport)
		return false;
	if (f->rport >= 0 && k->rport != f->rport)
		return false;
	if (f->port >= 0 && k->lport != f->port && k->rport != f->port)
		return false;
	return true;
}

/* Filling one page. */
struct tel_page {
	const struct tel_filter *f;
	struct rte_tel_data *list; /* dict of dicts "0", "1"... (22.11: arrays hold no dicts) */
	unsigned int shard;
	unsigned int n;
	int err;
};

static int
tel_page_add(const struct twq_entry_info *e, void *arg)
{
	struct tel_page *pg = arg;
	const int af = e->key.is_ipv6 ? AF_INET6 : AF_INET;
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
	struct rte_tel_data *c;
	char idx[16];

	if (!tel_filter_match(pg->f, &e->key))
		return 0;
	c = rte_tel_data_alloc();
	if (c == NULL) {
		pg->err = -ENOMEM;
		return -1;
	}
	inet_ntop(af,
			e->key.is_ipv6 ? (const void *)e->key.laddr.v6
				       : (const void *)&e->key.laddr.v4,
			la, sizeof(la));
	inet_ntop(af,
			e->key.is_ipv6 ? (const void *)e->key.raddr.v6
				       : (const void *)&e->key.raddr.v4,
			ra, sizeof(ra));
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_string(c, "laddr", la);
	rte_tel_data_add_dict_u64(c, "lport", e->key.lport);
	rte_tel_data_add_dict_string(c, "raddr", ra);
	rte_tel_data_add_dict_u64(c, "rport", e->key.rport);
	rte_tel_data_add_dict_u64(c, "remaining_ms", e->remaining_ms);
	rte_tel_data_add_dict_u64(c, "shard", pg->shard);
	snprintf(idx, sizeof(idx), "%u", pg->n);
	if (rte_tel_data_add_dict_container(pg->list, idx, c, 0) != 0) {
		rte_tel_data_free(c);
		pg->err = -ENOSPC;
		return -1;
	}
	/* A full page stops the walk just past this entry: the cursor of the next page. */
	return ++pg->n == pg->f->limit ? -2 : 0;
}

static int
tel_entries(struct app_ctx *ctx, const char *params, struct rte_tel_data *d)
{
	struct tel_filter f;
	struct tel_page pg = {.f = &f};
	uint64_t visited = 0, slot;
	char why[RTE_TEL_MAX_STRING_LEN], next[48];
	unsigned int w;
	int rc = 0;

	if (tel_filter_parse(params, &f, why, sizeof(why)) < 0)
		return tel_view_error(d, why, TEL_ENTRIES_EXPECTED);
	if (f.shard > ctx->n_workers) {
		snprintf(why, sizeof(why), "cursor shard %u: there are %u shards", f.shard,
				ctx->n_workers);
		return tel_view_error(d, why, TEL_ENTRIES_EXPECTED);
	}
	pg.list = rte_tel_data_alloc();
	if (pg.list == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(pg.list);
	w = f.shard;
	slot = f.slot;
	while (w < ctx->n_workers && visited < TEL_ENTRIES_SCAN_MAX) {
		const uint64_t before = slot;

		pg.shard = w;
		rc = app_shard_walk(&ctx->shards[w], &slot, TEL_VIEW_SLICE, tel_page_add, &pg);
		visited += slot - before;
		if (rc < 0)
			break; /* page full (or out of memory) */
		if (rc == 1) {
			w++;
			slot = 0;
		} else {
			app_shard_step_aside(&ctx->shards[w]);
		}
	}
	if (pg.err != 0) {
		rte_tel_data_free(pg.list);
		return pg.err;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "count", pg.n);
	if (rte_tel_data_add_dict_container(d, "entries", pg.list, 0) != 0) {
		rte_tel_data_free(pg.list);
		return -ENOSPC;
	}
	/* A full page that ended a shard's walk still says where the next one starts. */
	if (w >= ctx->n_workers) {
		rte_tel_data_add_dict_string(d, "next", "");
		rte_tel_data_add_dict_u64(d, "done", 1);
	} else {
		snprintf(next, sizeof(next), "%u.%" PRIu64, w, slot);
		rte_tel_data_add_dict_string(d, "next", next);
		rte_tel_data_add_dict_u64(d, "done", 0);
	}
	return 0;
}

static int
tel_view_cmd(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct app_ctx *ctx = app_telemetry_get();
	int rc;

	if (ctx == NULL)
		return -EAGAIN;
	if (strcmp(cmd, "/twq/ages") == 0)
		rc = tel_ages(ctx, params, d);
	else
		rc = tel_entries(ctx, params, d);
	app_telemetry_put();
	return rc;
}

RTE_INIT(app_tel_view_init)
{
	rte_telemetry_register_cmd("/twq/ages", tel_view_cmd,
			"Per shard and in all: entries by remaining lifetime, buckets le_MS (at "
			"most MS ms left) and gt_240000. No parameters.");
	rte_telemetry_register_cmd("/twq/entries", tel_view_cmd,
			"Up to 64 TIME_WAIT entries. Params: key=value,... of addr laddr raddr "
			"port lport rport limit cursor");
}
