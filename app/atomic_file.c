/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Safe replacement of a file (see atomic_file.h). The temporary file's name is random
 * (getrandom), opened with O_EXCL|O_NOFOLLOW, so a file or symlink an attacker planted at a
 * predictable name is never opened, truncated or followed.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bsd/string.h>

#include "atomic_file.h"

#define APP_ATOMIC_TRIES 16

/* Random characters at the end of a temporary file's name. */
#define APP_ATOMIC_SUFFIX 8

static int
app_atomic_name(struct app_atomic_file *f, const char *target)
{
	static const char alnum[] =
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char dir[PATH_MAX], base[PATH_MAX];
	uint8_t rnd[APP_ATOMIC_SUFFIX];
	char suffix[APP_ATOMIC_SUFFIX + 1];
	unsigned int i;

	if (strlcpy(dir, target, sizeof(dir)) >= sizeof(dir) ||
			strlcpy(base, target, sizeof(base)) >= sizeof(base)) {
		snprintf(f->err, sizeof(f->err), "file name too long");
		return -1;
	}
	strlcpy(f->dir_path, dirname(dir), sizeof(f->dir_path));
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
		snprintf(f->err, sizeof(f->err), "getrandom: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(rnd); i++)
		suffix[i] = alnum[rnd[i] % (sizeof(alnum) - 1)];
	suffix[sizeof(rnd)] = '\0';
	if ((size_t)snprintf(f->tmp_path, sizeof(f->tmp_path), "%s/.%s.tmp-%s", f->dir_path,
			    basename(base), suffix) >= sizeof(f->tmp_path)) {
		snprintf(f->err, sizeof(f->err), "file name too long");
		return -1;
	}
	return 0;
}

int
app_atomic_open(struct app_atomic_file *f, const char *target)
{
	unsigned int i;

	f->fd = -1;
	f->err[0] = '\0';
	for (i = 0; i < APP_ATOMIC_TRIES; i++) {
		if (app_atomic_name(f, target) < 0)
			return -1;
		f->fd = open(f->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				0600);
		if (f->fd >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	snprintf(f->err, sizeof(f->err), "cannot create %s: %s", f->tmp_path, strerror(errno));
	return -1;
}

int
app_atomic_write(struct app_atomic_file *f, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(f->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(f->err, sizeof(f->err), "cannot write %s: %s", f->tmp_path,
					n < 0 ? strerror(errno) : "no progress");
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
app_atomic_pwrite(struct app_atomic_file *f, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = pwrite(f->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(f->err, sizeof(f->err), "cannot write %s: %s", f->tmp_path,
					n < 0 ? strerror(errno) : "no progress");
			return -1;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

void
app_atomic_abort(struct app_atomic_file *f)
{
	if (f->fd < 0)
		return;
	close(f->fd);
	f->fd = -1;
	unlink(f->tmp_path);
}

int
app_atomic_commit(struct app_atomic_file *f, const char *target)
{
	int dfd, rc;

	if (fsync(f->fd) != 0) {
		snprintf(f->err, sizeof(f->err), "cannot write %s: fsync: %s", f->tmp_path,
				strerror(errno));
		app_atomic_abort(f);
		return -1;
	}
	rc = close(f->fd);
	f->fd = -1;
	if (rc != 0 || rename(f->tmp_path, target) != 0) {
		snprintf(f->err, sizeof(f->err), "cannot %s %s: %s",
				rc != 0 ? "close" : "rename it over",
				rc != 0 ? f->tmp_path : target, strerror(errno));
		unlink(f->tmp_path);
		return -1;
	}
	/* The rename is durable only once the directory is. */
	dfd = open(f->dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		snprintf(f->err, sizeof(f->err), "renamed, but cannot fsync the directory %s: %s",
				f->dir_path, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	close(dfd);
	return 0;
}

int
app_atomic_check(const char *target, char *err, size_t len)
{
	struct app_atomic_file f;
	struct stat st;

	if (target[0] == '\0' || target[strlen(target) - 1] == '/') {
		snprintf(err, len, "'%s' names a directory, not a file: give a file name", target);
		return -1;
	}
	if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, len, "%s is a directory: give a file name inside it", target);
		return -1;
	}
	/* The rename would put a regular file in its place (--save /dev/null, as root). */
	if (lstat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		snprintf(err, len,
				"%s is %s, not a state file: it would be replaced; give the path "
				"of a regular file",
				target,
				S_ISFIFO(st.st_mode) ? "a FIFO"
						: S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
						? "a device"
						: "not a file");
		return -1;
	}
	if (app_atomic_name(&f, target) < 0) {
		snprintf(err, len, "%s", f.err);
		return -1;
	}
	if (stat(f.dir_path, &st) != 0) {
		snprintf(err, len, "directory %s: %s: create it or choose another path", f.dir_path,
				strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, len, "%s is not a directory: choose another path", f.dir_path);
		return -1;
	}
	if (app_atomic_open(&f, target) < 0) {
		snprintf(err, len, "%s: the directory must be writable by this user", f.err);
		return -1;
	}
	if (app_atomic_write(&f, "x", 1) < 0 || fsync(f.fd) != 0) {
		snprintf(err, len, "trial write in %s failed: %s", f.dir_path,
				f.err[0] ? f.err : strerror(errno));
		app_atomic_abort(&f);
		return -1;
	}
	app_atomic_abort(&f);
	return 0;
}

unsigned int
app_atomic_cleanup(const char *target)
{
	char dir[PATH_MAX], base[PATH_MAX], prefix[PATH_MAX + 8];
	unsigned int removed = 0;
	struct dirent *de;
	struct stat st;
	size_t plen;
	DIR *d;
	int dfd;

	if (strlcpy(dir, target, sizeof(dir)) >= sizeof(dir) ||
			strlcpy(base, target, sizeof(base)) >= sizeof(base))
		return 0;
	snprintf(prefix, sizeof(prefix), ".%s.tmp-", basename(base));
	plen = strlen(prefix);
	d = opendir(dirname(dir));
	if (d == NULL)
		return 0;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, plen) != 0 ||
				strlen(de->d_name) != plen + APP_ATOMIC_SUFFIX)
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dfd, de->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}
