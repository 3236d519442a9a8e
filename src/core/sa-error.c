/* sa-error.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sa-error.h"

/* clang-format reads the quark's name as a subtraction and would space it out */
/* clang-format off */
G_DEFINE_QUARK (sa-error-quark, sa_error)
/* clang-format on */
