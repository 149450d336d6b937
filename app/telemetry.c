/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Telemetry commands: /twq/stats, /twq/shards, /twq/config, /twq/lookup. They run on DPDK's
 * telemetry thread: counters are read with relaxed loads, and only /twq/lookup takes a
 * shard's lock (through shard.h), for one lookup that counts nothing.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include <rte_rwlock.h>
#include <rte_telemetry.h>

#include "clock.h"
#include "rss.h"
#include "telemetry.h"

static rte_rwlock_t tel_lock = RTE_RWLOCK_INITIALIZER;
static struct app_ctx *tel_ctx;

void
app_telemetry_publish(struct app_ctx *ctx)
{
	rte_rwlock_write_lock(&tel_lock);
	tel_ctx = ctx;
	rte_rwlock_write_unlock(&tel_lock);
}

static void
tel_add_engine(struct rte_tel_data *d, const uint64_t c[TWQ_CTR_MAX])
{
	unsigned int i;

	for (i = 0; i < TWQ_CTR_MAX; i++)
		rte_tel_data_add_dict_u64(d, twq_counter_name(i), c[i]);
}

/* One counter into a telemetry dict (the walks of stats.h). */
static void
tel_add_kv(const char *key, enum app_unit unit, uint64_t value, double precise, void *arg)
{
	RTE_SET_USED(unit);
	RTE_SET_USED(precise);
	rte_tel_data_add_dict_u64(arg, key, value);
}

static int
tel_stats(struct app_ctx *ctx, struct rte_tel_data *d)
{
	char name[RTE_TEL_MAX_STRING_LEN];
	struct app_worker_stats tot;
	uint64_t eng[TWQ_CTR_MAX];
	uint64_t e4, e6;
	unsigned int r;

	app_worker_stats_sum(ctx->wstats, ctx->n_workers, &tot);
	app_shards_entries(ctx->shards, ctx->n_workers, &e4, &e6);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "workers", ctx->n_workers);
	app_worker_stats_walk(&tot, tel_add_kv, d);
	for (r = 0; r < TCPSEG_REASON_MAX; r++) {
		if (r == TCPSEG_OK)
			continue;
		snprintf(name, sizeof(name), "drop_%s", tcpseg_reason_name(r));
		rte_tel_data_add_dict_u64(d, name, tot.drop[r]);
	}
	app_shards_counters(ctx->shards, ctx->n_workers, eng);
	tel_add_engine(d, eng);
	rte_tel_data_add_dict_u64(d, "entries", e4 + e6);
	rte_tel_data_add_dict_u64(d, "entries_v4", e4);
	rte_tel_data_add_dict_u64(d, "entries_v6", e6);
	app_control_stats_walk(&ctx->cstats, tel_add_kv, d);
	rte_tel_data_add_dict_u64(d, "uptime_ms", app_clock_ms() - ctx->start_ms);
	return 0;
}

static int
tel_shards(struct app_ctx *ctx, struct rte_tel_data *d)
{
	char key[16];
	unsigned int w;

	rte_tel_data_start_dict(d);
	for (w = 0; w < ctx->n_workers; w++) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		uint64_t eng[TWQ_CTR_MAX];
		struct app_shard_info info;

		if (c == NULL)
			return -ENOMEM;
		app_shard_info(&ctx->shards[w], &info);
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "lcore", info.lcore);
		rte_tel_data_add_dict_u64(c, "entries_v4", info.entries4);
		rte_tel_data_add_dict_u64(c, "entries_v6", info.entries6);
		rte_tel_data_add_dict_u64(c, "capacity", info.capacity);
		rte_tel_data_add_dict_u64(c, "capacity6", info.capacity6);
		rte_tel_data_add_dict_u64(c, "memory_bytes", ctx->shard_bytes);
		app_worker_stats_walk(&ctx->wstats[w], tel_add_kv, c);
		app_shard_counters(&ctx->shards[w], eng);
		tel_add_engine(c, eng);
		snprintf(key, sizeof(key), "%u", w);
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0) {
			rte_tel_data_free(c);
			return -ENOSPC;
		}
	}
	return 0;
}

/* Building /twq/config: one dict per INI section, filled key by key. */
struct tel_config_walk {
	struct rte_tel_data *d;   /* the reply */
	struct rte_tel_data *sec; /* the section being filled */
	const char *sec_name;
};

/* Put the section being filled into the reply (names may not contain dots, so nest). */
static int
tel_config_flush(struct tel_config_walk *w)
{
	if (w->sec == NULL)
		return 0;
	if (rte_tel_data_add_dict_container(w->d, w->sec_name, w->sec, 0) != 0) {
		rte_tel_data_free(w->sec);
		w->sec = NULL;
		return -ENOSPC;
	}
	w->sec = NULL;
	return 0;
}

static int
tel_config_key(const char *section, const char *name, const char *text, uint64_t num, void *arg)
{
	struct tel_config_walk *w = arg;
	int rc;

	if (w->sec == NULL || strcmp(section, w->sec_name) != 0) {
		rc = tel_config_flush(w);
		if (rc != 0)
			return rc;
		w->sec = rte_tel_data_alloc();
		if (w->sec == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(w->sec);
		w->sec_name = section;
	}
	if (text != NULL)
		return rte_tel_data_add_dict_string(w->sec, name, text);
	return rte_tel_data_add_dict_u64(w->sec, name, num);
}

static int
tel_config(struct app_ctx *ctx, struct rte_tel_data *d)
{
	struct tel_config_walk w = {.d = d};
	int rc;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "config_file", ctx->cfg.config_path);
	rte_tel_data_add_dict_u64(d, "workers", ctx->n_workers);
	rc = app_config_foreach(&ctx->cfg, tel_config_key, &w);
	if (rc == 0)
		return tel_config_flush(&w);
	rte_tel_data_free(w.sec);
	return rc;
}

/* "laddr,lport,raddr,rport" into a key; -1 if malformed. */
static int
tel_parse_key(const char *params, struct twq_key *k)
{
	char buf[160];
	char *f[4], *save = NULL, *tok;
	const char *errstr = NULL;
	unsigned int n = 0;
	long long lport, rport;
	int l6, r6;

	if (params == NULL || strlcpy(buf, params, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == 4)
			return -1;
		f[n++] = tok;
	}
	if (n != 4)
		return -1;
	memset(k, 0, sizeof(*k));
	l6 = strchr(f[0], ':') != NULL;
	r6 = strchr(f[2], ':') != NULL;
	if (l6 != r6)
		return -1;
	if (inet_pton(l6 ? AF_INET6 : AF_INET, f[0],
			    l6 ? (void *)k->laddr.v6 : (void *)&k->laddr.v4) != 1)
		return -1;
	if (inet_pton(r6 ? AF_INET6 : AF_INET, f[2],
			    r6 ? (void *)k->raddr.v6 : (void *)&k->raddr.v4) != 1)
		return -1;
	lport = strtonum(f[1], 0, 65535, &errstr);
	if (errstr != NULL)
		return -1;
	rport = strtonum(f[3], 0, 65535, &errstr);
	if (errstr != NULL)
		return -1;
	k->lport = (uint16_t)lport;
	k->rport = (uint16_t)rport;
	k->is_ipv6 = (uint8_t)l6;
	return 0;
}

static int
tel_lookup(struct app_ctx *ctx, const char *params, struct rte_tel_data *d)
{
	struct twq_entry_info info;
	struct twq_key k;
	unsigned int w;

	if (tel_parse_key(params, &k) < 0)
		return -EINVAL;
	w = app_flow_worker(ctx, &k);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "shard", w);
	if (app_shard_peek(&ctx->shards[w], &k, &info) != 0) {
		rte_tel_data_add_dict_string(d, "state", "none");
		return 0;
	}
	rte_tel_data_add_dict_string(d, "state", "TIME_WAIT");
	rte_tel_data_add_dict_u64(d, "remaining_ms", info.remaining_ms);
	rte_tel_data_add_dict_u64(d, "snd_nxt", info.snd_nxt);
	rte_tel_data_add_dict_u64(d, "rcv_nxt", info.rcv_nxt);
	rte_tel_data_add_dict_u64(d, "last_win", info.last_win);
	rte_tel_data_add_dict_u64(d, "has_ts", info.has_ts);
	rte_tel_data_add_dict_u64(d, "t_recent", info.t_recent);
	rte_tel_data_add_dict_u64(d, "ts_offset", info.ts_offset);
	return 0;
}

/* One entry point: the command name picks the handler; not yet running -> -EAGAIN. */
static int
tel_cmd(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int rc;

	rte_rwlock_read_lock(&tel_lock);
	if (tel_ctx == NULL)
		rc = -EAGAIN;
	else if (strcmp(cmd, "/twq/stats") == 0)
		rc = tel_stats(tel_ctx, d);
	else if (strcmp(cmd, "/twq/shards") == 0)
		rc = tel_shards(tel_ctx, d);
	else if (strcmp(cmd, "/twq/config") == 0)
		rc = tel_config(tel_ctx, d);
	else if (strcmp(cmd, "/twq/lookup") == 0)
		rc = tel_lookup(tel_ctx, params, d);
	else
		rc = -EINVAL;
	rte_rwlock_read_unlock(&tel_lock);
	return rc;
}

RTE_INIT(app_telemetry_init)
{
	rte_telemetry_register_cmd("/twq/stats", tel_cmd,
			"Totals: rx, tx, drops by reason, engine counters, entries, "
			"scan_max_hold_us. No parameters.");
	rte_telemetry_register_cmd("/twq/shards", tel_cmd,
			"Per worker shard: entries, capacity, rx, tx, engine counters. "
			"No parameters.");
	rte_telemetry_register_cmd("/twq/config", tel_cmd, "The running configuration.");
	rte_telemetry_register_cmd("/twq/lookup", tel_cmd,
			"The TIME_WAIT entry of a flow. Parameters: laddr,lport,raddr,rport");
}
