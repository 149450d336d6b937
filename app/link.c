/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Link state and port counters (link.h). */

#include <string.h>

#include <rte_ethdev.h>

#include "clock.h"
#include "link.h"
#include "log.h"

/* Period of the link poll of ports without interrupts, and of the counters' reset check. */
#define APP_LINK_POLL_MS 1000

bool
app_link_lsc_supported(const struct rte_eth_dev_info *info)
{
	return info->dev_flags != NULL && (*info->dev_flags & RTE_ETH_DEV_INTR_LSC) != 0;
}

/* Log the link if it changed since the last look (always the first time). */
static void
app_link_check(struct app_port *p, const char *why)
{
	struct rte_eth_link link;
	char text[RTE_ETH_LINK_MAX_STR_LEN];
	uint32_t state;

	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(p->port_id, &link) != 0)
		return;
	/* One word of the state: up, speed, duplex; 0 is never a state (bit 31 set). */
	state = (1u << 31) | (link.link_status ? 1u << 30 : 0) | (link.link_duplex ? 1u << 29 : 0) |
			(link.link_speed & 0x1fffffffu);
	if (__atomic_exchange_n(&p->link_state, state, __ATOMIC_RELAXED) == state)
		return;
	rte_eth_link_to_str(text, sizeof(text), &link);
	if (link.link_status)
		APP_LOG(INFO, "port %u %s: %s (%s)", p->port_id, p->name, text, why);
	else
		APP_LOG(WARNING, "port %u %s: %s (%s)", p->port_id, p->name, text, why);
}

/* EAL's interrupt thread: the PMD says the link changed. */
static int
app_link_event(uint16_t port_id, enum rte_eth_event_type type, void *arg, void *ret_param)
{
	struct app_ctx *ctx = arg;
	uint16_t i;

	RTE_SET_USED(type);
	RTE_SET_USED(ret_param);
	for (i = 0; i < ctx->n_ports; i++)
		if (ctx->ports[i].port_id == port_id)
			app_link_check(&ctx->ports[i], "link-status interrupt");
	return 0;
}

void
app_link_start(struct app_ctx *ctx)
{
	uint16_t i;

	for (i = 0; i < ctx->n_ports; i++) {
		struct app_port *p = &ctx->ports[i];

		app_link_check(p,
				p->lsc ? "at start; changes by interrupt, polled every second"
				       : "at start; polled every second");
		if (p->lsc &&
				rte_eth_dev_callback_register(p->port_id, RTE_ETH_EVENT_INTR_LSC,
						app_link_event, ctx) != 0)
			p->lsc = false;
	}
}

void
app_link_poll(struct app_ctx *ctx, uint64_t now_ms)
{
	static uint64_t next_ms;
	struct rte_eth_stats es;
	uint16_t i;

	if (now_ms < next_ms)
		return;
	next_ms = now_ms + APP_LINK_POLL_MS;
	/*
	 * Every port, also those that interrupt: net_tap (22.11) announces LSC but did not
	 * call back when its kernel side went down (e2e_ops); the exchange in
	 * app_link_check() logs a change once whoever sees it first.
	 */
	for (i = 0; i < ctx->n_ports; i++) {
		app_link_check(&ctx->ports[i], "polled");
		app_port_stats(&ctx->ports[i], &es); /* notices a reset within a second */
	}
}

void
app_link_stop(struct app_ctx *ctx)
{
	uint16_t i;

	for (i = 0; i < ctx->n_ports; i++)
		if (ctx->ports[i].lsc)
			rte_eth_dev_callback_unregister(ctx->ports[i].port_id,
					RTE_ETH_EVENT_INTR_LSC, app_link_event, ctx);
}

void
app_port_stats(struct app_port *p, struct rte_eth_stats *out)
{
	struct rte_eth_stats cur;
	uint64_t *b = (uint64_t *)&p->stats_base, *l = (uint64_t *)&p->stats_last;
	uint64_t *c = (uint64_t *)&cur, *o = (uint64_t *)out;
	size_t i;

	if (rte_eth_stats_get(p->port_id, &cur) != 0) {
		memset(out, 0, sizeof(*out));
		return;
	}
	/* A counter that went down was reset: what it showed before is added to the base. */
	if (cur.ipackets < p->stats_last.ipackets || cur.opackets < p->stats_last.opackets)
		for (i = 0; i < sizeof(cur) / sizeof(uint64_t); i++)
			b[i] += l[i];
	for (i = 0; i < sizeof(cur) / sizeof(uint64_t); i++)
		o[i] = b[i] + c[i];
	p->stats_last = cur;
}
