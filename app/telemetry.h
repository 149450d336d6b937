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

#endif /* APP_TELEMETRY_H */
