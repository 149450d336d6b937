/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_INI_CHECK_H
#define APP_INI_CHECK_H

/*
 * Reading the INI file of --config strictly, with line numbers, into an rte_cfgfile (which
 * then holds the sections and keys as if rte_cfgfile_load() had read them). rte_cfgfile_load()
 * itself skips a line without '=', takes a directory or a binary file as an empty
 * configuration, and says neither where nor what when it fails; this reader refuses every
 * such file with "FILE:LINE: what is wrong".
 *
 * Accepted: "[section]", "key = value", blank lines, comments from ';' to the end of the line
 * (as rte_cfgfile), blanks (space, tab) around names and values, CRLF line ends, a UTF-8 BOM
 * at the very start, UTF-8 text. Refused: anything else, with the line number.
 */

#include <stddef.h>

#include <rte_cfgfile.h>

/** Most keys in one file. */
#define APP_INI_MAX_KEYS 128

/** Most section headers in one file. */
#define APP_INI_MAX_SECTIONS 32

/** Largest config file, in bytes. */
#define APP_INI_MAX_SIZE (1u << 20)

/** Where a key was given. */
struct app_ini_key {
	char section[CFG_NAME_LEN];
	char name[CFG_NAME_LEN];
	unsigned int line;
};

/** A file read. */
struct app_ini {
	struct rte_cfgfile *cfg; /**< the sections and keys; NULL after an error */
	unsigned int n_keys;
	struct app_ini_key keys[APP_INI_MAX_KEYS];
	unsigned int n_sections;
	struct app_ini_key sections[APP_INI_MAX_SECTIONS]; /**< first header of each (name "") */
	char err[512]; /**< "NAME:LINE: what", when a call returned -1 */
};

/**
 * Parse INI text from a buffer.
 *
 * @param ini
 *   Filled; release with app_ini_free() whatever the result.
 * @param name
 *   The file name, for messages.
 * @param buf
 *   The text (need not be NUL-terminated).
 * @param len
 *   Its length.
 * @return
 *   0, or -1 with ini->err.
 */
int app_ini_parse(struct app_ini *ini, const char *name, const char *buf, size_t len);

/**
 * Read and parse a file: refused unless a regular file of at most APP_INI_MAX_SIZE bytes
 * (opened without blocking, so a FIFO is refused at once).
 *
 * @return
 *   0, or -1 with ini->err.
 */
int app_ini_load(struct app_ini *ini, const char *path);

/**
 * The line of a key, or of a section's first header when name is NULL, for messages.
 *
 * @return
 *   The line number (from 1), or 0 if it was not in the file.
 */
unsigned int app_ini_line(const struct app_ini *ini, const char *section, const char *name);

/** Release what app_ini_parse() or app_ini_load() took. */
void app_ini_free(struct app_ini *ini);

#endif /* APP_INI_CHECK_H */
