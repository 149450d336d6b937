/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_L2_H
#define APP_L2_H

/*
 * The appliance's own addresses and link layer: which received frames are ours, and the
 * answers that need no TCP state, built in the received mbuf.
 *
 * - A frame is ours when it is sent to the port's MAC address, or to the broadcast address
 *   (ARP only) or an IPv6 multicast MAC (Neighbor Solicitations for the solicited-node
 *   address of one of our addresses only), and, for IP, to one of our addresses.
 * - ARP request for one of our IPv4 addresses: ARP reply in place (RFC 826).
 * - Neighbor Solicitation for one of our IPv6 addresses: Neighbor Advertisement in place with
 *   the target link-layer address option (RFC 4861 section 7.2.4; to all-nodes with S clear
 *   when the solicitation came from the unspecified address, i.e. duplicate address detection).
 * - ICMP / ICMPv6 echo request to one of our addresses: echo reply in place (RFC 792,
 *   RFC 4443 section 4.2).
 * - TCP to one of our addresses: passed on (APP_L2_PASS) to tcpseg_parse() and the engine.
 * - Anything else: dropped, with a reason the caller counts.
 *
 * Replies go to the source MAC of the frame that caused them, from the port's MAC; VLAN tags
 * are kept. Pure functions on mbufs: no I/O, no allocation, no logging.
 *
 * With promiscuous on (the old replay behaviour: captures addressed to other hosts), the MAC
 * and IP destination checks are skipped: every TCP frame is passed on; ARP, ND and echo are
 * still answered only for our own addresses.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

/** Most local addresses per family. */
#define APP_L2_MAX_ADDRS 16

/**
 * Results of app_l2_input(). X-macro: X(name, kind, "description"), kind PASS, TX or DROP.
 * Every result is a counter.
 */
#define APP_L2_RESULTS(X) \
	X(PASS, PASS, "TCP to one of our addresses, on to the engine") \
	X(ARP_REPLY, TX, "ARP request for our address answered") \
	X(ND_ADVERT, TX, "Neighbor Solicitation for our address answered") \
	X(ECHO4_REPLY, TX, "ICMP echo request answered") \
	X(ECHO6_REPLY, TX, "ICMPv6 echo request answered") \
	X(NOT_OUR_MAC, DROP, "unicast frame to another MAC address") \
	X(BAD_SRC_MAC, DROP, "source MAC multicast, broadcast or our own") \
	X(MCAST, DROP, "broadcast or multicast frame that is not ARP or ND for us") \
	X(TRUNC, DROP, "frame shorter than its headers") \
	X(ETHERTYPE, DROP, "ethertype not ARP, IPv4 or IPv6 (or more than two VLAN tags)") \
	X(ARP_OTHER, DROP, "ARP that is not a request for one of our addresses") \
	X(NOT_OUR_ADDR, DROP, "IP destination is not one of our addresses") \
	X(PROTO, DROP, "IP protocol neither TCP nor ICMP") \
	X(BAD_IP, DROP, "bad IP header (version, length, checksum, fragment)") \
	X(BAD_ICMP, DROP, "ICMP or ICMPv6 checksum or length wrong") \
	X(ICMP_OTHER, DROP, "ICMP type we do not answer") \
	X(ND_OTHER, DROP, "Neighbor Solicitation that is invalid or not for our address") \
	X(NO_ROOM, DROP, "the reply does not fit in the mbuf")

/** What app_l2_input() decided. */
enum app_l2_result {
#define APP_L2_ENUM(name, kind, desc) APP_L2_##name,
	APP_L2_RESULTS(APP_L2_ENUM)
#undef APP_L2_ENUM
			APP_L2_RESULT_MAX
};

/** The port's addresses. Written at start, read-only afterwards (one per port, shared). */
struct app_l2 {
	struct rte_ether_addr mac;           /**< the port's MAC address */
	bool promisc;                        /**< skip the MAC and IP destination checks */
	uint16_t n4;                         /**< entries in v4 */
	uint16_t n6;                         /**< entries in v6 */
	uint32_t v4[APP_L2_MAX_ADDRS];       /**< IPv4 addresses, network order */
	uint8_t v6[APP_L2_MAX_ADDRS][16];    /**< IPv6 addresses */
	uint8_t v6_snm[APP_L2_MAX_ADDRS][3]; /**< low 24 bits: solicited-node group */
};

/**
 * Start an address set for a port.
 *
 * @param l2
 *   The set to fill.
 * @param mac
 *   The port's MAC address.
 * @param promisc
 *   true: pass TCP to any MAC and address (replay of captures addressed elsewhere).
 */
void app_l2_init(struct app_l2 *l2, const struct rte_ether_addr *mac, bool promisc);

/**
 * Add local addresses from text: IPv4 and IPv6 addresses separated by commas or blanks, e.g.
 * "198.18.0.1, 2001:db8::1". Start-up only.
 *
 * @param l2
 *   The set to add to.
 * @param text
 *   The list.
 * @param err
 *   Filled with what is wrong when the result is -1.
 * @param errlen
 *   Size of @p err.
 * @return
 *   0, or -1: an entry is not an address, is multicast, broadcast or unspecified, or there
 *   are more than APP_L2_MAX_ADDRS of one family.
 */
int app_l2_add_addresses(struct app_l2 *l2, const char *text, char *err, size_t errlen);

/**
 * Whether an IPv4 address (network order) is one of ours.
 */
bool app_l2_has_v4(const struct app_l2 *l2, uint32_t addr);

/**
 * Whether an IPv6 address is one of ours.
 */
bool app_l2_has_v6(const struct app_l2 *l2, const uint8_t addr[16]);

/**
 * Classify a received frame and, for ARP, ND and echo, turn it into the answer in place.
 *
 * @param l2
 *   The port's addresses.
 * @param m
 *   The received frame. On a TX result it holds the reply (its length adjusted; data_len and
 *   pkt_len set, offload flags cleared, checksums computed in software). Otherwise it is
 *   unchanged.
 * @return
 *   APP_L2_PASS: give the frame to tcpseg_parse(). A TX result (app_l2_is_tx()): send @p m
 *   back on the port and queue it came from. Any other: drop (free) it, count the result.
 */
enum app_l2_result app_l2_input(const struct app_l2 *l2, struct rte_mbuf *m);

/* The 6 bytes of a MAC address at the start of an 8-byte load, the other 2 cleared. */
static inline uint64_t
app_l2_mac48(uint64_t x)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	return x << 16;
#else
	return x >> 16;
#endif
}

_Static_assert(offsetof(struct app_l2, mac) + sizeof(uint64_t) <= sizeof(struct app_l2),
		"app_l2_parsed_ours() reads 8 bytes at mac");

/**
 * The common case of app_l2_input() for a frame that tcpseg_parse() accepted (so it holds
 * at least untagged Ethernet, IPv4 or IPv6 and TCP headers in its first segment): untagged
 * IPv4 from a unicast MAC that is not ours, to our MAC and our first IPv4 address. true:
 * app_l2_input() would return APP_L2_PASS (parse has checked the version and the protocol);
 * false: ask app_l2_input(). MAC addresses compared by 8-byte loads (in struct app_l2,
 * promisc and n4 follow mac), the 2 bytes past an address ignored.
 *
 * @param l2
 *   The port's addresses.
 * @param f
 *   The data of a frame tcpseg_parse() returned TCPSEG_OK for (rte_pktmbuf_mtod()).
 */
static inline bool
app_l2_parsed_ours(const struct app_l2 *l2, const uint8_t *f)
{
	uint64_t dst, src, mac;
	uint32_t ip;
	uint16_t type;

	memcpy(&dst, f, sizeof(dst));
	memcpy(&src, f + RTE_ETHER_ADDR_LEN, sizeof(src));
	memcpy(&mac, &l2->mac, sizeof(mac));
	memcpy(&type, f + 2 * RTE_ETHER_ADDR_LEN, sizeof(type));
	memcpy(&ip, f + sizeof(struct rte_ether_hdr) + offsetof(struct rte_ipv4_hdr, dst_addr),
			sizeof(ip));
	return type == RTE_BE16(RTE_ETHER_TYPE_IPV4) && app_l2_mac48(dst ^ mac) == 0 &&
			(f[RTE_ETHER_ADDR_LEN] & RTE_ETHER_GROUP_ADDR) == 0 &&
			app_l2_mac48(src ^ mac) != 0 && l2->n4 != 0 && l2->v4[0] == ip;
}

/** Whether a result means "send the mbuf back". */
static inline bool
app_l2_is_tx(enum app_l2_result r)
{
	return r >= APP_L2_ARP_REPLY && r <= APP_L2_ECHO6_REPLY;
}

/**
 * The name of a result ("pass", "arp_reply", "not_our_mac"...), for counters.
 */
const char *app_l2_result_name(enum app_l2_result r);

/**
 * The description of a result.
 */
const char *app_l2_result_desc(enum app_l2_result r);

#endif /* APP_L2_H */
