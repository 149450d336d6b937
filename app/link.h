/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_LINK_H
#define APP_LINK_H

/*
 * Each port's link and its own counters, off the fast path: the link state is logged at start
 * and on every change (from the PMD's link-status interrupt when it has one, else polled by
 * the control lcore once a second, which it does for every port as a safety net), and the
 * port's counters are read through a base that
 * survives a driver resetting them (a memif peer that reconnects, a stop).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>

#include "app.h"

/** Whether to ask the port for link-status interrupts (rte_eth_conf intr_conf.lsc). */
bool app_link_lsc_supported(const struct rte_eth_dev_info *info);

/**
 * After the ports started: log each port's link and register the link-status callback of
 * those that interrupt.
 */
void app_link_start(struct app_ctx *ctx);

/** Control lcore, every loop: once a second, poll every port's link (and counters). */
void app_link_poll(struct app_ctx *ctx, uint64_t now_ms);

/** Unregister the callbacks (before the ports close). */
void app_link_stop(struct app_ctx *ctx);

/**
 * A port's counters since start: rte_eth_stats_get() plus what the driver showed before it
 * last reset them. Control lcore only.
 *
 * @param p
 *   The port.
 * @param out
 *   Filled (zero when the port cannot say).
 */
void app_port_stats(struct app_port *p, struct rte_eth_stats *out);

#endif /* APP_LINK_H */
