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

/** The key @p name of @p section (any key of the section when name is NULL), or NULL. */
const struct app_key *app_key_find(const char *section, const char *name);

/** The names of a section's keys, comma-separated, into buf. */
void app_keys_of_section(const char *section, char *buf, size_t len);

/** The sections, comma-separated, into buf. */
void app_key_sections(char *buf, size_t len);

/** What a key accepts, in words ("an integer from 1 to 10000"). */
void app_key_allowed(const struct app_key *k, char *buf, size_t len);

#endif /* APP_CONFIG_KEYS_H */
