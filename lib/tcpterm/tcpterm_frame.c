/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Frames for segments described by tcpterm_input() and tcpterm_timers(), built without a
 * received frame: the connection keeps the peer's MAC, the VLAN tags and the port. The
 * payload is not copied: a second mbuf points into the response's bytes (an external buffer
 * whose shared info belongs to the table, so that the reference count of one response is
 * not one cache line shared by every worker). The response outlives the frames, so the free
 * callback does nothing; the reference count is kept exact all the same.
 */

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "tcpterm_pvt.h"

/* TCP options of a segment, laid out by lib/tcpseg: for a SYN-ACK those of syn_opts and the
 * timestamps; otherwise the timestamps alone. */
static unsigned int
opts_put(uint8_t *dst, const struct tcpterm_seg *s)
{
	struct tcpseg_opts o;

	o.present = (uint8_t)((s->has_ts ? TCPSEG_OPT_TS : 0) |
			((s->flags & TCPSEG_SYN) ? s->syn_opts : 0));
	o.mss = s->mss;
	o.wscale = s->wscale;
	o.tsval = s->tsval;
	o.tsecr = s->tsecr;
	return tcpseg_opts_write(dst, &o);
}

static uint8_t *
eth_write(const struct tcpterm_conn *c, uint8_t *p, const struct rte_ether_addr *src_mac)
{
	unsigned int i, nv = c->l2 & L2_NVLAN;
	uint16_t w;

	memcpy(p, c->peer_mac, RTE_ETHER_ADDR_LEN);
	memcpy(p + RTE_ETHER_ADDR_LEN, src_mac, RTE_ETHER_ADDR_LEN);
	p += 2 * RTE_ETHER_ADDR_LEN;
	/* Each tag: its TPID where the ethertype was, then the TCI. */
	for (i = 0; i < nv; i++) {
		w = rte_cpu_to_be_16(i == 0 && (c->l2 & L2_QINQ) ? RTE_ETHER_TYPE_QINQ
								 : RTE_ETHER_TYPE_VLAN);
		memcpy(p, &w, 2);
		w = rte_cpu_to_be_16(c->vlan[i]);
		memcpy(p + 2, &w, 2);
		p += 4;
	}
	w = rte_cpu_to_be_16((c->flags & C_IPV6) ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	memcpy(p, &w, 2);
	return p + 2;
}

/* IP header; returns the pseudo-header sum (folded, not complemented). */
static uint16_t
ip_write(const struct tcpterm_conn *c, uint8_t *p, uint32_t l4_total, uint64_t *ol,
		uint64_t tx_offload)
{
	if (c->flags & C_IPV6) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)p;

		ip6->vtc_flow = rte_cpu_to_be_32(UINT32_C(6) << 28);
		ip6->payload_len = rte_cpu_to_be_16((uint16_t)l4_total);
		ip6->proto = IPPROTO_TCP;
		ip6->hop_limits = TCPSEG_REPLY_TTL;
		memcpy(ip6->src_addr, c->laddr.v6, 16);
		memcpy(ip6->dst_addr, c->raddr.v6, 16);
		*ol = (tx_offload & RTE_ETH_TX_OFFLOAD_TCP_CKSUM)
				? RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM
				: 0;
		return rte_ipv6_phdr_cksum(ip6, 0);
	}
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4_total));
	ip->packet_id = 0;
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = TCPSEG_REPLY_TTL;
	ip->next_proto_id = IPPROTO_TCP;
	ip->hdr_checksum = 0;
	ip->src_addr = c->laddr.v4;
	ip->dst_addr = c->raddr.v4;
	*ol = 0;
	if (tx_offload & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
		*ol |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	else
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (tx_offload & RTE_ETH_TX_OFFLOAD_TCP_CKSUM)
		*ol |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
	return rte_ipv4_phdr_cksum(ip, 0);
}

static int
payload_attach(struct tcpterm_table *t, struct rte_mbuf *h, const struct tcpterm_seg *s,
		struct rte_mempool *pool)
{
	const struct tcpterm_variant *var = &t->resp[s->resp]->v[s->variant ? 1 : 0];
	struct rte_mbuf_ext_shared_info *sh = &t->shinfo[s->resp][s->variant ? 1 : 0];
	struct rte_mbuf *pm;

	if ((uint64_t)s->off + s->len > var->len)
		return -EINVAL;
	pm = rte_pktmbuf_alloc(pool);
	if (pm == NULL)
		return -ENOMEM;
	rte_mbuf_ext_refcnt_update(sh, 1);
	rte_pktmbuf_attach_extbuf(pm, var->data + s->off, var->iova + s->off, s->len, sh);
	pm->data_len = s->len;
	pm->pkt_len = s->len;
	if (rte_pktmbuf_chain(h, pm) != 0) {
		rte_pktmbuf_free(pm);
		return -EINVAL;
	}
	return 0;
}

struct rte_mbuf *
tcpterm_frame_build(struct tcpterm_table *t, uint32_t conn, const struct tcpterm_seg *seg,
		const struct rte_ether_addr *src_mac, struct rte_mempool *pool, uint64_t tx_offload)
{
	const struct tcpterm_conn *c;
	struct rte_tcp_hdr *th;
	struct rte_mbuf *h;
	uint32_t l2, l3, l4, sum, olen;
	uint64_t ol;
	uint16_t phdr, ck;
	uint8_t *p;
	int rc;

	if (conn >= t->capacity || !(t->conns[conn].flags & C_USED) ||
			seg->resp >= t->p.n_responses) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = &t->conns[conn];
	h = rte_pktmbuf_alloc(pool);
	if (h == NULL)
		goto nomem;
	l2 = sizeof(struct rte_ether_hdr) + 4u * (c->l2 & L2_NVLAN);
	l3 = (c->flags & C_IPV6) ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	l4 = sizeof(struct rte_tcp_hdr) + TCPSEG_OPTS_MAXLEN; /* trimmed below */
	p = (uint8_t *)rte_pktmbuf_append(h, (uint16_t)(l2 + l3 + l4));
	if (p == NULL) {
		rte_pktmbuf_free(h);
		rte_errno = EINVAL;
		return NULL;
	}
	p = eth_write(c, p, src_mac);
	th = (struct rte_tcp_hdr *)(p + l3);
	olen = opts_put((uint8_t *)(th + 1), seg);
	rte_pktmbuf_trim(h, (uint16_t)(TCPSEG_OPTS_MAXLEN - olen));
	l4 = sizeof(struct rte_tcp_hdr) + olen;
	phdr = ip_write(c, p, l4 + seg->len, &ol, tx_offload);
	th->src_port = rte_cpu_to_be_16(c->lport);
	th->dst_port = rte_cpu_to_be_16(c->rport);
	th->sent_seq = rte_cpu_to_be_32(seg->seq);
	th->recv_ack = rte_cpu_to_be_32(seg->ack);
	th->data_off = (uint8_t)((l4 / 4) << 4);
	th->tcp_flags = seg->flags;
	th->rx_win = rte_cpu_to_be_16(seg->win);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (seg->len) {
		rc = payload_attach(t, h, seg, pool);
		if (rc != 0) {
			rte_pktmbuf_free(h);
			if (rc == -ENOMEM)
				goto nomem;
			rte_errno = -rc;
			return NULL;
		}
	}
	if (ol & RTE_MBUF_F_TX_TCP_CKSUM) {
		ck = phdr;
	} else {
		sum = (uint32_t)phdr + rte_raw_cksum(th, l4);
		if (seg->len)
			sum += tcpterm_response_sum(
					t->resp[seg->resp], seg->variant, seg->off, seg->len);
		ck = (uint16_t)~__rte_raw_cksum_reduce(sum);
	}
	th->cksum = ck;
	h->ol_flags = ol;
	h->l2_len = l2;
	h->l3_len = l3;
	h->l4_len = l4;
	h->port = c->port;
	return h;
nomem:
	ctr_inc(t, TCPTERM_CTR_FRAME_NOMEM);
	rte_errno = ENOMEM;
	return NULL;
}
