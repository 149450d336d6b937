/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_WIRE_H
#define TCPSEG_WIRE_H

/*
 * Internal to lib/tcpseg (not installed): field values and layouts of the IP and TCP headers
 * that DPDK's rte_ip.h / rte_tcp.h do not name, shared by the parser and the reply builder.
 */

#include <stdint.h>

#include <rte_byteorder.h>

/*
 * Byte order of 16- and 32-bit values, both ways (network <-> host). DPDK 22.11's
 * rte_be_to_cpu_32() and friends swap with `asm volatile` on x86 for values not known at
 * compile time: the compiler can neither merge such a swap with its load (movbe) nor move or
 * drop it, and the parser and the reply builder ran 37 of them per packet. The builtins give
 * the same values.
 */
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
#define TCPSEG_BSWAP16(x) __builtin_bswap16((uint16_t)(x))
#define TCPSEG_BSWAP32(x) __builtin_bswap32((uint32_t)(x))
#else
#define TCPSEG_BSWAP16(x) ((uint16_t)(x))
#define TCPSEG_BSWAP32(x) ((uint32_t)(x))
#endif

/* IP version numbers and where they sit: the high nibble of IPv4's version_ihl byte, the top
 * 4 bits of IPv6's first 32-bit word (vtc_flow). */
#define IP4_VERSION       4
#define IP4_VERSION_SHIFT 4
#define IP6_VERSION       6
#define IP6_VERSION_SHIFT 28

/* Multicast: IPv4 224.0.0.0/4 (the top 4 bits 1110), IPv6 ff00::/8. */
#define IP4_MCAST_SHIFT 28
#define IP4_MCAST_TOP   0xe
#define IP6_MCAST_BYTE  0xff

/* IPv6 extension headers (RFC 8200 section 4): next header and length bytes first, length
 * in 8-byte units not counting the first 8. */
#define IP6_EXT_HDR_MIN  2
#define IP6_EXT_LEN_UNIT 8

/* TCP data offset: the high nibble of the data_off byte, which is the top byte of the
 * header's fourth 32-bit word; in 32-bit words. */
#define TCP_DOFF_SHIFT      4
#define TCP_DOFF_WORD_SHIFT 28
#define TCP_DOFF_UNIT       4

/* The one's complement sum over correct data, its checksum field included (RFC 1071). */
#define CKSUM_GOOD 0xffff

/* Most VLAN tags in front of IP (802.1ad + 802.1Q): struct tcpseg_view.n_vlan is 0 to 2. */
#define MAX_VLAN 2

#endif /* TCPSEG_WIRE_H */
