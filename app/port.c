/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Port bring-up in the order of examples/skeleton/basicfwd.c: dev_info, configure, adjust
 * descriptors, queue setup on the port's socket, start; errors are returned, not fatal here.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bsd/string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "link.h"
#include "log.h"
#include "port.h"

#define APP_MBUF_CACHE 256

/* Margin of mbufs a pool has beyond the rings, caches and bursts it must fill. */
#define APP_MBUF_SPARE 1024

/* Smallest pool: 2^13 - 1 mbufs (a mempool of 2^n - 1 elements uses its ring best). */
#define APP_MBUF_POOL_MIN 8191

/* Flow types RSS must spread: TCP over IPv4 and IPv6. */
#define APP_RSS_HF (RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV6_TCP)

static void
app_list_ports(void)
{
	char name[RTE_ETH_NAME_MAX_LEN], list[512];
	size_t off = 0;
	uint16_t pid;

	list[0] = '\0';
	RTE_ETH_FOREACH_DEV (pid) {
		if (rte_eth_dev_get_name_by_port(pid, name) == 0 && off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, " %s", name);
	}
	if (off == 0)
		app_err("ports that exist: none (add one with --vdev, e.g. --vdev "
			"net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap, or bind a NIC to vfio-pci and "
			"drop --no-pci)");
	else
		app_err("ports that exist:%s", list);
}

static uint16_t
app_clamp_desc(uint32_t want, const struct rte_eth_desc_lim *lim)
{
	uint32_t v = want;

	if (lim->nb_max != 0 && v > lim->nb_max)
		v = lim->nb_max;
	if (v < lim->nb_min)
		v = lim->nb_min;
	return (uint16_t)v;
}

static void
app_offload_text(uint64_t rx, uint64_t tx, char *buf, size_t len)
{
	const bool ip4 = (tx & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) != 0;
	const bool tcp = (tx & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) != 0;

	snprintf(buf, len, "RX checksum offload %s, TX checksum offload %s",
			(rx & RTE_ETH_RX_OFFLOAD_CHECKSUM) ? "on" : "off (software)",
			ip4 && tcp            ? "ipv4+tcp"
					: ip4 ? "ipv4 (tcp in software)"
					: tcp ? "tcp (ipv4 in software)"
					      : "off (software)");
}

/*
 * The TX checksum offloads requested of a driver: IPv4 header and TCP where it offers them,
 * except on net_tap, where both "offloads" are software in the PMD (tap_tx_l3_cksum() and
 * tap_tx_l4_cksum() in DPDK 22.11) that writes 0xffff where the checksum is 0: RFC 768's rule
 * for UDP applied to TCP and even to the IPv4 header. The same sum in one's complement, so
 * receivers accept it, but a computed checksum is never 0xffff (RFC 1624) and tshark flags
 * the TCP one as bad. The appliance sums both itself there, the same work the PMD would do
 * (and its replies take the hit path, which has no IPv4-only offload variant).
 * e2e_tapnet_cksum0 and e2e_tapnet_ipck0 send segments whose RST's TCP, respectively IPv4
 * header, checksum is 0.
 */
static uint64_t
app_port_tx_offloads(const char *driver, uint64_t capa)
{
	if (strcmp(driver, "net_tap") == 0)
		return 0;
	return capa & (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM);
}

/* Read the redirection table so that state can be loaded into the shard RSS picks. */
static void
app_port_reta(struct app_port *p, uint16_t reta_size)
{
	struct rte_eth_rss_reta_entry64 conf[RTE_ETH_RSS_RETA_SIZE_512 / RTE_ETH_RETA_GROUP_SIZE];
	uint16_t i;

	p->reta_ok = false;
	if (reta_size == 0 || reta_size > RTE_ETH_RSS_RETA_SIZE_512)
		return;
	memset(conf, 0, sizeof(conf));
	for (i = 0; i < (reta_size + RTE_ETH_RETA_GROUP_SIZE - 1) / RTE_ETH_RETA_GROUP_SIZE; i++)
		conf[i].mask = UINT64_MAX;
	if (rte_eth_dev_rss_reta_query(p->port_id, conf, reta_size) != 0)
		return;
	for (i = 0; i < reta_size; i++)
		p->reta[i] = conf[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE];
	p->reta_size = reta_size;
	p->reta_ok = true;
}

/*
 * The appliance answers only for its own MAC and addresses (app/l2.c); [ports] promiscuous =
 * on takes every frame, for the replay of captures addressed elsewhere.
 */
static void
app_port_promisc(uint16_t port_id, bool on)
{
	if (on)
		rte_eth_promiscuous_enable(port_id);
	else
		rte_eth_promiscuous_disable(port_id);
}

static int
app_port_start(struct app_ctx *ctx, struct app_port *p, const struct rte_eth_dev_info *info)
{
	const uint16_t nq = (uint16_t)ctx->n_workers;
	struct rte_eth_conf conf;
	struct rte_eth_txconf txconf;
	struct rte_eth_rxconf rxconf;
	uint16_t q, nb_rx, nb_tx;
	unsigned int i;
	int rc;

	conf = (struct rte_eth_conf){.intr_conf.lsc = p->lsc}; /* link changes: link.c */
	p->n_queues = nq;
	if (nq > 1) {
		/*
		 * The key also serves rte_softrss (app_flow_worker), so it is set with RSS off
		 * too: then whatever feeds the queues is promised to use the same rule.
		 */
		p->rss_key_len = ctx->cfg.rss && info->hash_key_size ? info->hash_key_size
								     : APP_RSS_KEY_LEN;
		for (i = 0; i < APP_RSS_KEY_MAX; i++)
			p->rss_key[i] = (i & 1) ? 0x5a : 0x6d; /* symmetric: 0x6d, 0x5a repeated */
		if (ctx->cfg.rss) {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			conf.rx_adv_conf.rss_conf.rss_key = p->rss_key;
			conf.rx_adv_conf.rss_conf.rss_key_len = p->rss_key_len;
			conf.rx_adv_conf.rss_conf.rss_hf = APP_RSS_HF;
			p->rss = true;
		}
	}
	p->rx_offloads = info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_CHECKSUM;
	p->tx_offloads = app_port_tx_offloads(p->driver, info->tx_offload_capa);
	conf.rxmode.offloads = p->rx_offloads;
	conf.txmode.offloads = p->tx_offloads;

	rc = rte_eth_dev_configure(p->port_id, nq, nq, &conf);
	if (rc != 0) {
		app_err("port %s: configure with %u queues failed: %s", p->name, nq,
				rte_strerror(-rc));
		return -1;
	}
	nb_rx = (uint16_t)ctx->cfg.rx_desc;
	nb_tx = (uint16_t)ctx->cfg.tx_desc;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rx, &nb_tx);
	if (rc != 0) {
		app_err("port %s: descriptor counts %u/%u refused: %s", p->name, nb_rx, nb_tx,
				rte_strerror(-rc));
		return -1;
	}
	p->rx_desc = nb_rx;
	p->tx_desc = nb_tx;
	rxconf = info->default_rxconf;
	rxconf.offloads = conf.rxmode.offloads;
	txconf = info->default_txconf;
	txconf.offloads = conf.txmode.offloads;
	for (q = 0; q < nq; q++) {
		rc = rte_eth_rx_queue_setup(
				p->port_id, q, nb_rx, p->socket, &rxconf, ctx->pools[p->socket]);
		if (rc != 0) {
			app_err("port %s: RX queue %u setup failed: %s", p->name, q,
					rte_strerror(-rc));
			return -1;
		}
		rc = rte_eth_tx_queue_setup(p->port_id, q, nb_tx, p->socket, &txconf);
		if (rc != 0) {
			app_err("port %s: TX queue %u setup failed: %s", p->name, q,
					rte_strerror(-rc));
			return -1;
		}
	}
	rc = rte_eth_dev_start(p->port_id);
	if (rc != 0) {
		app_err("port %s: start failed: %s", p->name, rte_strerror(-rc));
		return -1;
	}
	app_port_promisc(p->port_id, ctx->cfg.promisc);
	if (p->rss)
		app_port_reta(p, info->reta_size);
	return 0;
}

/* Checks that need only dev_info: queues and RSS. */
static int
app_port_check(const struct app_ctx *ctx, const struct app_port *p,
		const struct rte_eth_dev_info *info)
{
	const bool rss = ctx->cfg.rss && ctx->n_workers > 1;

	if (info->max_rx_queues < ctx->n_workers || info->max_tx_queues < ctx->n_workers) {
		app_err("port %s (%s) has at most %u RX and %u TX queues; %u workers need %u "
			"of each%s: run fewer worker lcores (EAL -l/--lcores)%s",
				p->name, p->driver, info->max_rx_queues, info->max_tx_queues,
				ctx->n_workers, ctx->n_workers,
				ctx->cfg.rss ? ""
					     : " ([ports] rss = off: one RX/TX queue pair per "
					       "worker)",
				ctx->cfg.rss ? ""
					     : " or give the port more queues (net_pcap: one "
					       "rx_pcap and one tx_pcap per worker)");
		return -1;
	}
	if (rss && (info->flow_type_rss_offloads & APP_RSS_HF) != APP_RSS_HF) {
		app_err("port %s (%s) cannot spread IPv4 and IPv6 TCP over queues by RSS "
			"(flow types it offers: 0x%" PRIx64 "); %u workers need it: run "
			"one worker (-l 0-1), or set [ports] rss = off if something else "
			"feeds each worker's queue (docs/operations.md)",
				p->name, p->driver, info->flow_type_rss_offloads, ctx->n_workers);
		return -1;
	}
	if (rss && info->hash_key_size > APP_RSS_KEY_MAX) {
		app_err("port %s (%s) wants an RSS key of %u bytes; at most %d supported", p->name,
				p->driver, info->hash_key_size, APP_RSS_KEY_MAX);
		return -1;
	}
	return 0;
}

static int
app_pools_create(struct app_ctx *ctx, const struct rte_eth_dev_info *infos)
{
	uint64_t need[RTE_MAX_NUMA_NODES] = {0};
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int s, i;

	for (i = 0; i < ctx->n_ports; i++) {
		const struct app_port *p = &ctx->ports[i];

		need[p->socket] += (uint64_t)ctx->n_workers *
				(app_clamp_desc(ctx->cfg.rx_desc, &infos[i].rx_desc_lim) +
						app_clamp_desc(ctx->cfg.tx_desc,
								&infos[i].tx_desc_lim) +
						2 * APP_BURST);
	}
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		uint64_t n;

		if (need[s] == 0)
			continue;
		/* APP_MBUF_SPARE covers the frames of responses in flight (header and payload) */
		n = need[s] + (uint64_t)ctx->n_workers * (APP_MBUF_CACHE + APP_BURST + 1024) +
				APP_MBUF_SPARE;
		n = RTE_MAX(n, (uint64_t)APP_MBUF_POOL_MIN);
		snprintf(name, sizeof(name), "twq_mbuf_s%u", s);
		ctx->pools[s] = rte_pktmbuf_pool_create(name, (unsigned int)n, APP_MBUF_CACHE, 0,
				RTE_MBUF_DEFAULT_BUF_SIZE, (int)s);
		if (ctx->pools[s] == NULL) {
			if (rte_errno == ENOMEM)
				app_err("not enough memory for the mbuf pool on socket %u (%" PRIu64
					" mbufs of %u bytes): raise -m or lower [ports] "
					"rx_desc/tx_desc",
						s, n, (unsigned int)RTE_MBUF_DEFAULT_BUF_SIZE);
			else
				app_err("mbuf pool on socket %u: %s", s, rte_strerror(rte_errno));
			return -1;
		}
	}
	return 0;
}

int
app_ports_setup(struct app_ctx *ctx)
{
	static struct rte_eth_dev_info infos[APP_MAX_PORTS];
	char offl[96];
	unsigned int i;
	int rc;

	for (i = 0; i < ctx->cfg.n_ports; i++) {
		struct app_port *p = &ctx->ports[i];
		int sock;

		strlcpy(p->name, ctx->cfg.port_names[i], sizeof(p->name));
		if (rte_eth_dev_get_port_by_name(p->name, &p->port_id) != 0) {
			app_err("[ports] names / --ports: no port named %s", p->name);
			app_list_ports();
			return -1;
		}
		rc = rte_eth_dev_info_get(p->port_id, &infos[i]);
		if (rc != 0) {
			app_err("port %s: cannot get device info: %s", p->name, rte_strerror(-rc));
			return -1;
		}
		strlcpy(p->driver, infos[i].driver_name ? infos[i].driver_name : "?",
				sizeof(p->driver));
		sock = rte_eth_dev_socket_id(p->port_id);
		p->socket = (sock < 0 || sock >= RTE_MAX_NUMA_NODES) ? 0 : sock;
		p->lsc = app_link_lsc_supported(&infos[i]);
		if (app_port_check(ctx, p, &infos[i]) < 0)
			return -1;
		ctx->n_ports = (uint16_t)(i + 1);
	}
	if (app_pools_create(ctx, infos) < 0)
		return -1;
	for (i = 0; i < ctx->n_ports; i++) {
		struct app_port *p = &ctx->ports[i];

		if (app_port_start(ctx, p, &infos[i]) < 0)
			return -1;
		app_offload_text(p->rx_offloads, p->tx_offloads, offl, sizeof(offl));
		APP_LOG(INFO,
				"port %u %s: driver %s, socket %d, %u RX + %u TX queues, %u/%u "
				"descriptors, %s, RSS %s",
				p->port_id, p->name, p->driver, p->socket, p->n_queues, p->n_queues,
				p->rx_desc, p->tx_desc, offl,
				p->n_queues <= 1 ? "off (one worker)"
						: !p->rss
						? "off ([ports] rss = off: queues fed per worker, "
						  "hash % workers)"
						: p->reta_ok
						? "on (IPv4/IPv6 TCP, symmetric key, RETA read)"
						: "on (IPv4/IPv6 TCP, symmetric key, RETA "
						  "unreadable: "
						  "hash % workers)");
	}
	return 0;
}

void
app_ports_close(struct app_ctx *ctx)
{
	uint16_t i;
	int rc;

	app_link_stop(ctx);
	for (i = 0; i < ctx->n_ports; i++) {
		rc = rte_eth_dev_stop(ctx->ports[i].port_id);
		if (rc != 0)
			app_err("port %s: stop: %s", ctx->ports[i].name, rte_strerror(-rc));
		rte_eth_dev_close(ctx->ports[i].port_id);
	}
	ctx->n_ports = 0;
}
