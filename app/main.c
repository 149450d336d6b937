/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * dpdk-twq: a TCP TIME_WAIT appliance on DPDK ports.
 *
 * Order of examples/l2fwd: EAL, arguments, configuration, pools, ports, shards, saved state,
 * launch of the workers, the control loop on the main lcore, stop, save, final stats, ports
 * closed, rte_eal_cleanup().
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_version.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "app.h"
#include "checkpoint.h"
#include "clock.h"
#include "config.h"
#include "control.h"
#include "link.h"
#include "log.h"
#include "port.h"
#include "state.h"
#include "telemetry.h"
#include "version.h"
#include "term.h"
#include "worker.h"

/* app_setup(): nothing to run, exit with status 0 (--help). */
#define APP_EXIT_DONE (-1)

static struct app_ctx app;
static struct app_worker workers[RTE_MAX_LCORE];

static void
app_signal(int signum)
{
	(void)signum;
	__atomic_store_n(&app.force_quit, 1, __ATOMIC_RELAXED);
}

/* One listener: its section, ports and response. */
static void
app_print_listener(const struct app_ctx *ctx, uint32_t i)
{
	const struct app_listener_cfg *lc = &ctx->listen.cfg[i];
	const bool http = lc->mode == TCPTERM_MODE_HTTP;
	char ports[128];
	size_t off = 0;
	uint32_t k;

	ports[0] = '\0';
	for (k = 0; k < ctx->listen.n_ports[i] && off < sizeof(ports); k++)
		off += (size_t)snprintf(ports + off, sizeof(ports) - off, "%s%u", k ? ", " : "",
				ctx->listen.ports[i][k]);
	APP_LOG(INFO,
			"listener %u [%s]: ports %s, %s mode, body %s (%u bytes)%s%s, %u "
			"request(s) "
			"per connection",
			i, lc->name, ports, app_listen_mode_name(lc->mode), lc->body_file,
			ctx->listen.body_len[i], http ? ", type " : "",
			http ? lc->content_type : "", RTE_MAX(lc->keepalive_requests, 1u));
}

/* The addresses, the listeners and their responses, the connection tables. */
static void
app_print_listen(const struct app_ctx *ctx)
{
	const struct app_config *c = &ctx->cfg;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	uint16_t i;

	for (i = 0; i < ctx->n_ports; i++) {
		rte_ether_format_addr(mac, sizeof(mac), &ctx->l2[i].mac);
		APP_LOG(INFO, "port %s: mac %s, %s; answers ARP/ND/echo for %s", ctx->ports[i].name,
				mac,
				c->promisc ? "promiscuous (every TCP frame to the engine)"
					   : "own MAC and addresses only",
				c->addresses[0] ? c->addresses : "no address");
	}
	if (ctx->listen.n == 0) {
		APP_LOG(INFO,
				"listen: no listener ([listen] ports): every segment without a "
				"TIME_WAIT entry meets the closed-port policy (RSTs at most %u/s, "
				"burst "
				"%u)",
				c->rst_rate, c->rst_burst);
		return;
	}
	APP_LOG(INFO,
			"listen: %u listener(s); %u connections per worker (%.1f MiB); idle %u ms, "
			"fin_wait2 %u ms, rto %u..%u ms x%u, cookies every %u ms; closed-port RSTs "
			"at most %u/s, burst %u",
			ctx->listen.n, c->conn_capacity, (double)ctx->term_bytes / 1048576.0,
			c->idle_ms, c->fin_wait2_ms, c->rto_min_ms, c->rto_initial_ms, c->retries,
			c->cookie_interval_ms, c->rst_rate, c->rst_burst);
	for (i = 0; i < ctx->listen.n; i++)
		app_print_listener(ctx, i);
}

/*
 * SIGINT and SIGTERM without SA_RESTART: a system call blocked at start (a slow disk, a
 * device that does not answer) returns EINTR and the start-up gives up, instead of the
 * signal being noted and the call resumed.
 */
static void
app_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = app_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
app_print_engine(const struct app_ctx *ctx)
{
	const struct app_config *c = &ctx->cfg;
	char lcores[256], ackcap[64], stats[48], replay[48];
	size_t off = 0;
	unsigned int w;

	lcores[0] = '\0';
	for (w = 0; w < ctx->n_workers && off < sizeof(lcores); w++)
		off += (size_t)snprintf(lcores + off, sizeof(lcores) - off, "%s%u", w ? "," : "",
				ctx->lcores[w]);
	if (c->ack_limit != 0)
		snprintf(ackcap, sizeof(ackcap), "%u per %u ms", c->ack_limit, c->ack_interval_ms);
	else
		snprintf(ackcap, sizeof(ackcap), "off");
	if (c->stats_period_s != 0)
		snprintf(stats, sizeof(stats), "every %u s and at the end", c->stats_period_s);
	else
		snprintf(stats, sizeof(stats), "at the end");
	if (c->exit_idle_ms != 0)
		snprintf(replay, sizeof(replay), "after %u ms without RX", c->exit_idle_ms);
	else
		snprintf(replay, sizeof(replay), "off");
	APP_LOG(INFO,
			"engine: %u worker(s) on lcore(s) %s, control on lcore %u; per shard %u "
			"IPv4 + "
			"%u IPv6 entries (%.1f MiB); msl %u ms (TIME_WAIT %u ms); rfc1337 %s, "
			"paws %s, rfc6191 %s, ack cap %s; local prefixes: %s",
			ctx->n_workers, lcores, rte_get_main_lcore(), c->capacity, c->capacity6,
			(double)ctx->shard_bytes / 1048576.0, c->msl_ms, 2 * c->msl_ms,
			c->rfc1337 ? "on" : "off", c->paws ? "on" : "off",
			c->rfc6191 ? "on" : "off", ackcap, c->n_local ? c->local_text : "none");
	APP_LOG(INFO,
			"control: scan every %u ms, %u entries per slice; stats %s; closed ports: "
			"%s; "
			"load %s; save %s; replay exit %s",
			c->scan_interval_ms, c->scan_slice, stats,
			app_closed_policy_name(c->closed_policy),
			c->load_path[0] ? c->load_path : "none",
			c->save_path[0] ? c->save_path : "none", replay);
	app_print_listen(ctx);
}

/*
 * Everything before the launch: arguments, lcores, ports, shards, saved state. Returns 0 to
 * run, or the exit status (messages printed).
 */
static int
app_setup(struct app_ctx *ctx, int argc, char **argv)
{
	unsigned int lcore;
	int ret;

	ret = app_config_parse(argc, argv, &ctx->cfg);
	if (ret != 0)
		return ret < 0 ? APP_EXIT_DONE : ret;
	if (rte_lcore_count() < 2) {
		app_err("dpdk-twq needs at least 2 lcores (one control, one worker): use -l 0-1 "
			"or --lcores");
		return 1;
	}
	RTE_LCORE_FOREACH_WORKER (lcore) {
		ctx->lcores[ctx->n_workers] = lcore;
		ctx->n_workers++;
	}
	/* Fail early, before minutes of port and shard set-up, on a file that is not there. */
	if (ctx->cfg.load_path[0] != '\0' && access(ctx->cfg.load_path, R_OK) != 0) {
		app_err("state: cannot read %s ([state] load / --load): %s", ctx->cfg.load_path,
				strerror(errno));
		return 1;
	}
	app_signals_install();
	/* Refuse now a save path that would fail at the first checkpoint or at stop. */
	if (ctx->cfg.save_path[0] != '\0' &&
			app_state_check_save_path(ctx->cfg.save_path, ctx->cfg.save_origin) < 0)
		return 1;
	if (app_ports_setup(ctx) < 0 ||
			app_shards_create(ctx->shards, ctx->lcores, ctx->n_workers, &ctx->cfg,
					&ctx->shard_bytes) < 0 ||
			app_term_setup(ctx) < 0)
		return 1;
	app_link_start(ctx);
	app_print_engine(ctx);
	if (ctx->cfg.load_path[0] != '\0' && app_state_load(ctx, ctx->cfg.load_path) < 0)
		return 1;
	return 0;
}

/* Launch the workers, run the control loop until the stop, save, print. Exit status. */
static int
app_run(struct app_ctx *ctx)
{
	unsigned int w;
	int ret, status = 0;

	app_telemetry_publish(ctx);
	ctx->start_ms = app_clock_ms();
	app_control_start(ctx);
	for (w = 0; w < ctx->n_workers; w++) {
		workers[w].ctx = ctx;
		workers[w].index = w;
		ret = rte_eal_remote_launch(app_worker_main, &workers[w], ctx->lcores[w]);
		if (ret != 0) {
			app_err("cannot launch worker %u on lcore %u: %s", w, ctx->lcores[w],
					rte_strerror(-ret));
			__atomic_store_n(&ctx->force_quit, 1, __ATOMIC_RELAXED);
			status = 1;
			break;
		}
	}
	APP_LOG(INFO, "running: %u worker(s), %u port(s)", ctx->n_workers, ctx->n_ports);
	if (status == 0 && app_checkpoint_start(ctx) < 0) {
		__atomic_store_n(&ctx->force_quit, 1, __ATOMIC_RELAXED);
		status = 1;
	}
	if (status == 0) {
		app_control_loop(ctx);
		APP_LOG(INFO, "stopping");
	}
	app_checkpoint_stop();
	rte_eal_mp_wait_lcore();
	APP_LOG(INFO, "workers stopped");
	if (ctx->cfg.save_path[0] != '\0' && app_state_save(ctx, ctx->cfg.save_path) < 0)
		status = 1;
	app_control_scan(ctx);
	app_stats_print(ctx, stdout, "dpdk-twq final statistics");
	return status;
}

/*
 * --version among the application's options (after "--"), or as the only argument: answered
 * before rte_eal_init(), so that it needs no hugepages, ports or privileges.
 */
static bool
app_want_version(int argc, char **argv)
{
	int i;

	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		return true;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		;
	for (i++; i < argc; i++)
		if (strcmp(argv[i], "--version") == 0)
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	struct app_ctx *ctx = &app;
	int ret, status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (app_want_version(argc, argv)) {
		printf("dpdk-twq %s (%s)\n", APP_VERSION, rte_version());
		return 0;
	}
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		app_err("EAL initialisation failed: %s", rte_strerror(rte_errno));
		return 1;
	}
	app_log_eal_ready();
	APP_LOG(INFO, "dpdk-twq %s on %s, pid %d", APP_VERSION, rte_version(), (int)getpid());
	app_clock_init();
	status = app_setup(ctx, argc - ret, argv + ret);
	if (status == 0)
		status = app_run(ctx);
	else if (status == APP_EXIT_DONE)
		status = 0;
	/* The one way out after EAL: whatever was set up is undone, whether it ran or not. */
	app_telemetry_publish(NULL);
	app_ports_close(ctx);
	app_shards_free(ctx->shards, ctx->n_workers);
	app_term_free(ctx);
	rte_eal_cleanup();
	return status;
}
