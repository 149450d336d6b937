/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_STATE_FILE_H
#define APP_STATE_FILE_H

/*
 * The bytes of a TIME_WAIT state file (docs/state-file.md): header, records, CRC-32C trailer,
 * little-endian, as packed structs. The reader takes its input through a read function, so
 * that the same code checks a file (streamed, never read whole) and a buffer (fuzzing). It
 * depends on nothing of the running application.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_common.h>

#include <twq.h>

#define APP_STATE_MAGIC        "TWQSTATE"
#define APP_STATE_VERSION      2  /**< the version written */
#define APP_STATE_V1_HDR_SIZE  32 /**< header of version 1 */
#define APP_STATE_V2_HDR_SIZE  48 /**< header of version 2 */
#define APP_STATE_REC_SIZE     64
#define APP_STATE_TRAILER_SIZE 4
#define APP_STATE_FLAG_TS      0x01
/** Largest ts_clock_ms accepted: 2^47 ms, 4000 years of uptime (the sum with the time since
 * the save must not wrap). */
#define APP_STATE_TS_CLOCK_MAX (UINT64_C(1) << 47)

/** Header as stored (version 2; version 1 is its first 32 bytes). Little-endian. */
struct app_state_hdr {
	char magic[8];          /**< "TWQSTATE" */
	uint32_t version;       /**< 1 or 2 */
	uint32_t record_size;   /**< 64 */
	uint64_t count;         /**< records that follow */
	uint64_t saved_unix_ms; /**< CLOCK_REALTIME of the save in ms; 0: unknown */
	/* version 2 only */
	uint64_t ts_clock_ms; /**< the engine's (TSval) clock at the save */
	uint64_t reserved;    /**< 0 */
} __rte_packed;

/** One entry as stored. Little-endian; addresses in network byte order. */
struct app_state_rec {
	uint8_t family;        /**< 4 or 6 */
	uint8_t flags;         /**< APP_STATE_FLAG_TS; other bits 0 */
	uint16_t last_win;     /**< window of our replies */
	uint16_t lport;        /**< local port */
	uint16_t rport;        /**< remote port */
	uint8_t laddr[16];     /**< IPv4 in the first 4 bytes, the rest 0 */
	uint8_t raddr[16];     /**< likewise */
	uint32_t snd_nxt;      /**< seq of our replies */
	uint32_t rcv_nxt;      /**< ack of our replies */
	uint32_t t_recent;     /**< TSecr of our replies; 0 without has_ts */
	uint32_t ts_offset;    /**< TSval = clock + ts_offset; 0 without has_ts */
	uint32_t remaining_ms; /**< lifetime left at the save */
	uint32_t reserved;     /**< 0 */
} __rte_packed;

/** Read up to len bytes into buf: bytes read, 0 at the end, -1 with errno on error. */
typedef ssize_t (*app_state_read_fn)(void *src, void *buf, size_t len);

/**
 * Called for each record, in file order, once it has been checked. Return 0 to go on; any
 * other value stops the reader, which then returns it.
 */
typedef int (*app_state_rec_cb)(const struct twq_entry_info *e, void *arg);

/** A reader of one input. Fill the first block, then call app_state_read_header(). */
struct app_state_reader {
	app_state_read_fn read; /**< where the bytes come from */
	void *src;              /**< passed to read */
	uint64_t size;          /**< total bytes of the input, known beforehand (fstat) */
	uint8_t *buf;           /**< scratch for records, buf_len bytes */
	size_t buf_len;         /**< at least APP_STATE_REC_SIZE */
	/* filled by app_state_read_header() */
	uint32_t version;       /**< 1 or 2 */
	uint32_t hdr_size;      /**< 32 or 48 */
	uint64_t count;         /**< records */
	uint64_t saved_unix_ms; /**< wall clock of the save; 0 unknown */
	uint64_t ts_clock_ms;   /**< TSval clock at the save (version 2); 0 unknown */
	uint64_t index;         /**< records read so far */
	char err[160];          /**< what is wrong, when a call returned -1 */
	/* private */
	struct app_state_hdr hdr;
	uint32_t crc;
};

/** CRC-32C (Castagnoli; init 0xffffffff, final XOR 0xffffffff) of a buffer. */
uint32_t app_crc32c(const void *data, size_t len);

/** Continue a CRC-32C without the final XOR: start at 0xffffffff, XOR 0xffffffff at the end. */
uint32_t app_crc32c_update(uint32_t crc, const void *data, size_t len);

/**
 * Read and check the header against the input's size (magic, version, record_size, size
 * equal to header + count * 64 + 4). No record is read.
 *
 * @return
 *   0, or -1 with r->err saying what is wrong.
 */
int app_state_read_header(struct app_state_reader *r);

/**
 * Read every record in slices of r->buf, check each (family, flags, reserved, IPv4 padding)
 * and pass it to cb, then check the trailer. A failing CRC is found only at the end, after
 * every record went to cb: the caller must not use what it got before a 0 return.
 *
 * @return
 *   0, -1 with r->err, or the non-zero value cb returned.
 */
int app_state_read_records(struct app_state_reader *r, app_state_rec_cb cb, void *arg);

/**
 * Check one record and decode it.
 *
 * @return
 *   NULL, or what is wrong with the record (e is then undefined).
 */
const char *app_state_rec_decode(const struct app_state_rec *rec, struct twq_entry_info *e);

/** Encode an entry as a record. */
void app_state_rec_encode(const struct twq_entry_info *e, struct app_state_rec *rec);

/** A version 2 header. */
void app_state_hdr_make(struct app_state_hdr *h, uint64_t count, uint64_t saved_unix_ms,
		uint64_t ts_clock_ms);

/**
 * CRC of a version 2 file: the CRC-32C of the records in file order followed by the 48
 * header bytes (so that a writer can stream the records before it knows the count).
 *
 * @param rec_crc
 *   app_crc32c_update() over the records, started at 0xffffffff.
 * @param h
 *   The header.
 * @return
 *   The trailer value.
 */
uint32_t app_state_crc_v2(uint32_t rec_crc, const struct app_state_hdr *h);

#endif /* APP_STATE_FILE_H */
