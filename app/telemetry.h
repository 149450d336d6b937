/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_TELEMETRY_H
#define APP_TELEMETRY_H

#include "app.h"

/**
 * Publish the application to the telemetry commands (registered at load time) once its
 * shards exist, or withdraw it (NULL) before they are freed. Waits for a running callback.
 */
void app_telemetry_publish(struct app_ctx *ctx);

/**
 * For a telemetry command of another file (tel_view.c): the published application, held
 * until app_telemetry_put() (publish waits for it), or NULL while there is none (then no put).
 */
struct app_ctx *app_telemetry_get(void);

/** Release what app_telemetry_get() returned. */
void app_telemetry_put(void);

#endif /* APP_TELEMETRY_H */
