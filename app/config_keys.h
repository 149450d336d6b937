/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_CONFIG_KEYS_H
#define APP_CONFIG_KEYS_H

/*
 * The configuration keys, internal to config*.c: one row per key (config_keys.c) gives its
 * section, name, type, field, bounds, default, command-line option and help. The defaults,
 * the INI parser, the getopt options, the usage text, /twq/config (app_config_foreach) and
 * the table of config/README.md (app_config_print_tables) all read it.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

/** Largest [engine] ack_limit: twq_shard_create() refuses more (8-bit count per entry). */
#define APP_ACK_LIMIT_MAX UINT8_MAX

/** Room for keys in arrays indexed like app_keys (checked at build time). */
#define APP_MAX_KEYS 64

/** How a key's value is written and checked. */
enum app_key_type {
	KEY_U32,      /**< integer in [min, max] */
	KEY_BOOL,     /**< on | off */
	KEY_PATH,     /**< a file name, may be empty */
	KEY_PORTS,    /**< comma-separated ethdev names */
	KEY_PREFIXES, /**< comma-separated CIDR prefixes */
	KEY_POLICY,   /**< rst | drop */
	KEY_ADDRS,    /**< IPv4 and IPv6 addresses (app_l2_add_addresses), may be empty */
	KEY_LPORTS,   /**< TCP port numbers (app_listen_parse_ports), may be empty */
	KEY_TEXT,     /**< one line of text without CR or LF, may be empty */
	KEY_MODE,     /**< http | raw */
};

/** One configuration key. */
struct app_key {
	const char *section;
	const char *name;
	enum app_key_type type;
	size_t off;       /**< of the field in struct app_config */
	uint32_t min;     /**< KEY_U32 bounds */
	uint32_t max;     /**< KEY_U32 bounds */
	const char *def;  /**< default, as it would be written in the file */
	const char *opt;  /**< command-line option without "--", or NULL */
	const char *arg;  /**< the option's value in the usage text ("N", "FILE") */
	const char *help; /**< one sentence: usage text, config/README.md */
};

/** The keys, in the order of /twq/config and config/README.md. */
extern const struct app_key app_keys[];

/** Number of app_keys. */
extern const unsigned int app_n_keys;

/** Set every key to its default. */
void app_config_defaults(struct app_config *cfg);

/**
 * Set one key from text, checked as its type says.
 *
 * @param origin
 *   Where the value came from ("config", "option --msl-ms"), for the message.
 * @return
 *   0, or -1 with a message on stderr saying what the key accepts.
 */
int app_key_set(struct app_config *cfg, const struct app_key *k, const char *raw,
		const char *origin);

/**
 * Set a key's value in @p field (a [listen.NAME] key in its struct app_listener_cfg),
 * checked as app_key_set() does; @p section names it in the message.
 */
int app_key_set_at(struct app_config *cfg, const struct app_key *k, const char *section,
		void *field, const char *raw, const char *origin);

/*
 * The [listen.NAME] key group (config_listen.c): the keys each further listener has, the
 * offsets being in struct app_listener_cfg; the other [listen] keys are appliance-wide.
 */

/** Prefix of a [listen.NAME] section's name. */
#define APP_LISTEN_SECTION "listen."

/** The keys of a [listen.NAME] section (section "listen.NAME" in the docs). */
extern const struct app_key app_listener_keys[];

/** Number of app_listener_keys. */
extern const unsigned int app_n_listener_keys;

struct app_ini;

/**
 * Set the keys of the [listen.NAME] section @p secname (index @p s of the file): a new
 * listener in cfg->named with the group's defaults, then its keys.
 *
 * @return
 *   0, or -1 with "FILE:LINE: what" on stderr.
 */
int app_config_listener_load(struct app_config *cfg, const struct app_ini *ini, const char *path,
		int s, const char *secname);

/**
 * After the whole file: every [listen.NAME] has ports and body_file, and no port is in two
 * listeners ([listen] included); each refusal says which lines.
 *
 * @return
 *   0, or -1 (message printed).
 */
int app_config_listeners_check(
		const struct app_config *cfg, const struct app_ini *ini, const char *path);

/** The [listen.NAME] keys with their values, for app_config_foreach() (after the table's). */
int app_config_listeners_foreach(const struct app_config *cfg, app_config_key_cb cb, void *arg);

/** The key @p name of @p section (any key of the section when name is NULL), or NULL. */
const struct app_key *app_key_find(const char *section, const char *name);

/** The names of a section's keys, comma-separated, into buf. */
void app_keys_of_section(const char *section, char *buf, size_t len);

/** The sections, comma-separated, into buf. */
void app_key_sections(char *buf, size_t len);

/** What a key accepts, in words ("an integer from 1 to 10000"). */
void app_key_allowed(const struct app_key *k, char *buf, size_t len);

#endif /* APP_CONFIG_KEYS_H */
