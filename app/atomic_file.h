/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_ATOMIC_FILE_H
#define APP_ATOMIC_FILE_H

/*
 * Replacing a file so that a reader sees the old content or the new, whole, never a mix,
 * also across a crash or a power loss: a new temporary file in the target's directory
 * (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, a random name: nothing planted there is followed or
 * reused), written, fsync'ed, renamed over the target, then the directory fsync'ed.
 */

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/** A temporary file being written. */
struct app_atomic_file {
	int fd;                   /**< -1 when none */
	char tmp_path[PATH_MAX];  /**< "DIR/.BASE.tmp-XXXXXX" */
	char dir_path[PATH_MAX];  /**< the target's directory */
	char err[PATH_MAX + 128]; /**< what failed, when a call returned -1 */
};

/**
 * Create the temporary file of target.
 *
 * @return
 *   0, or -1 with f->err.
 */
int app_atomic_open(struct app_atomic_file *f, const char *target);

/**
 * Write len bytes at the current position (retries short writes and EINTR).
 *
 * @return
 *   0, or -1 with f->err.
 */
int app_atomic_write(struct app_atomic_file *f, const void *buf, size_t len);

/**
 * Write len bytes at offset off.
 *
 * @return
 *   0, or -1 with f->err.
 */
int app_atomic_pwrite(struct app_atomic_file *f, const void *buf, size_t len, uint64_t off);

/**
 * fsync the file, rename it over target, fsync the directory. On failure the temporary
 * file is removed and target is left as it was.
 *
 * @return
 *   0, or -1 with f->err.
 */
int app_atomic_commit(struct app_atomic_file *f, const char *target);

/** Close and remove the temporary file (after an error). */
void app_atomic_abort(struct app_atomic_file *f);

/**
 * Check, before anything runs, that target can be written this way: its directory exists
 * and a temporary file can be made, written and removed there; target itself, if it
 * exists, is not a directory.
 *
 * @param target
 *   The file.
 * @param err
 *   Filled with what is wrong and how to fix it.
 * @param len
 *   Size of err.
 * @return
 *   0, or -1.
 */
int app_atomic_check(const char *target, char *err, size_t len);

/**
 * Remove the temporary files of target that an interrupted write left (a process killed
 * while writing): regular files of its directory named like app_atomic_open()'s. A symlink
 * or anything else of that name is left alone.
 *
 * @return
 *   How many were removed.
 */
unsigned int app_atomic_cleanup(const char *target);

#endif /* APP_ATOMIC_FILE_H */
