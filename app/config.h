/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_CONFIG_H
#define APP_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_cfgfile.h>
#include <rte_ethdev.h>

#include <twq.h>

#include "listen.h"

/** Most ports the application drives. */
#define APP_MAX_PORTS 16

/** Most [listen.NAME] sections: listeners beside the one of [listen] (config_listen.c). */
#define APP_LISTEN_NAMED_MAX 15

/** Exit status of a bad command line (usage printed on stderr). */
#define APP_EXIT_USAGE 2

/** Default of [replay] exit_idle_ms when --replay-exit is given without it. */
#define APP_REPLAY_EXIT_DEFAULT_MS 300

/** What a worker does with a segment for which there is no TIME_WAIT entry. */
enum app_closed_policy {
	APP_CLOSED_RST = 0, /**< answer with a RST (RFC 793, "connection does not exist") */
	APP_CLOSED_DROP,    /**< drop silently */
};

/** The running configuration: defaults, then the INI file, then command-line options. */
struct app_config {
	char config_path[PATH_MAX]; /**< --config; empty: none */
	/* [ports] */
	char port_names[APP_MAX_PORTS][RTE_ETH_NAME_MAX_LEN]; /**< ethdev names */
	uint32_t n_ports;                                     /**< entries in port_names */
	uint32_t rx_desc;                                     /**< RX descriptors per queue */
	uint32_t tx_desc;                                     /**< TX descriptors per queue */
	bool rss;     /**< off: queues fed per worker by something else */
	bool promisc; /**< on: promiscuous, every TCP frame to the engine (replay) */
	/* [engine] */
	uint32_t msl_ms;          /**< MSL; TIME_WAIT lasts 2 * msl_ms */
	uint32_t capacity;        /**< IPv4 entries per shard */
	uint32_t capacity6;       /**< IPv6 entries per shard */
	bool rfc1337;             /**< on: RST dropped; off: TWQ_F_RST_KILLS */
	bool paws;                /**< TWQ_F_PAWS */
	bool rfc6191;             /**< TWQ_F_RFC6191 */
	uint32_t ack_limit;       /**< ACKs per entry per ack_interval_ms; 0: no cap */
	uint32_t ack_interval_ms; /**< interval of ack_limit */
	uint32_t n_local;         /**< entries in local */
	struct twq_prefix local[TWQ_MAX_LOCAL_PREFIXES]; /**< nolocaltimewait prefixes */
	char local_text[CFG_VALUE_LEN]; /**< local_prefixes as given, for display */
	/* [control] */
	uint32_t scan_interval_ms; /**< period of the 2MSL scan */
	uint32_t scan_slice;       /**< entries expired per lock hold */
	uint32_t stats_period_s;   /**< stats block period; 0: only at the end */
	bool cycles;               /**< workers count the TSC cycles of busy polls */
	/* [closed] */
	enum app_closed_policy closed_policy; /**< segments without an entry */
	uint32_t rst_rate;                    /**< closed-port RSTs per second per worker; 0: all */
	uint32_t rst_burst;                   /**< RSTs saved up by the token bucket */
	/* [listen] */
	char addresses[CFG_VALUE_LEN];    /**< our IPv4/IPv6 addresses (ARP, ND, echo, TCP) */
	char listen_ports[CFG_VALUE_LEN]; /**< listener ports; empty: no listener */
	char body_file[PATH_MAX];         /**< the response body */
	char content_type[CFG_VALUE_LEN]; /**< HTTP Content-Type; empty: the library's */
	uint32_t listen_mode;             /**< TCPTERM_MODE_HTTP or TCPTERM_MODE_RAW */
	uint32_t keepalive_requests;      /**< requests per connection; 0 or 1: one */
	uint32_t conn_capacity;           /**< live connections per worker */
	uint32_t idle_ms;                 /**< ESTABLISHED without a complete request */
	uint32_t fin_wait2_ms;            /**< FIN-WAIT-2 timeout */
	uint32_t rto_initial_ms;          /**< RTO before an RTT sample */
	uint32_t rto_min_ms;              /**< lower bound of the RTO */
	uint32_t retries;                 /**< RTOs in a row before the abort */
	uint32_t cookie_interval_ms;      /**< SYN-cookie key period */
	uint32_t challenge_ack_limit;     /**< challenge ACKs per second per worker */
	bool sack;                        /**< offer SACK-permitted */
	/* [listen.NAME]: more listeners, each with its own ports and response */
	struct app_listener_cfg named[APP_LISTEN_NAMED_MAX]; /**< in the order of the file */
	uint32_t n_named;                                    /**< entries in named */
	/* [state] */
	char load_path[PATH_MAX]; /**< state file to load at start; empty: none */
	char save_path[PATH_MAX]; /**< state file to write at stop; empty: none */
	uint32_t checkpoint_s;    /**< write save_path every this many seconds; 0: only at stop */
	char save_origin[PATH_MAX +
			64]; /**< where save_path was set ("FILE:LINE: [state]", option) */
	/* [replay] */
	uint32_t exit_idle_ms; /**< stop after this long without RX; 0: never */
};

/**
 * Build the configuration from the application's arguments (after EAL's).
 *
 * @param argc
 *   Argument count, argv[0] being the program name.
 * @param argv
 *   Arguments.
 * @param cfg
 *   Filled.
 * @return
 *   0 to run; a positive exit status to exit with (0 after --help is returned as -1);
 *   messages have been printed.
 */
int app_config_parse(int argc, char **argv, struct app_config *cfg);

/**
 * Engine parameters from the configuration.
 *
 * @param cfg
 *   The configuration.
 * @param p
 *   Filled (name and socket_id left for the caller).
 */
void app_config_engine_params(const struct app_config *cfg, struct twq_params *p);

/**
 * Called once per configuration key by app_config_foreach(), in the order of the key table
 * (keys of one section are consecutive).
 *
 * @param section
 *   INI section of the key.
 * @param name
 *   Key name.
 * @param text
 *   The value as text when it is not a number (on/off, names, paths, policy); NULL for a
 *   number.
 * @param num
 *   The value when it is a number.
 * @param arg
 *   The caller's argument.
 * @return
 *   0 to go on; anything else stops the walk and is returned.
 */
typedef int (*app_config_key_cb)(
		const char *section, const char *name, const char *text, uint64_t num, void *arg);

/**
 * Walk every configuration key with its effective value (for /twq/config), so that the keys
 * shown are exactly the keys the parser knows.
 *
 * @param cfg
 *   The configuration.
 * @param cb
 *   Called per key.
 * @param arg
 *   Passed to cb.
 * @return
 *   0, or the first non-zero value returned by cb.
 */
int app_config_foreach(const struct app_config *cfg, app_config_key_cb cb, void *arg);

/** Name of a listener mode ("http", "raw"). */
const char *app_listen_mode_name(uint32_t mode);

/** Name of a closed-port policy ("rst", "drop"). */
const char *app_closed_policy_name(enum app_closed_policy p);

/**
 * Print config/README.md's tables as Markdown: every key (section, name, default, what it
 * accepts, option, help) and every command-line option. test/unit/app/check_tables.py checks
 * that the file has them.
 */
void app_config_print_tables(FILE *f);

/** Print the usage text. */
void app_usage(FILE *f, const char *prgname);

#endif /* APP_CONFIG_H */
