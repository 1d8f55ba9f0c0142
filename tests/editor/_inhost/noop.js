// SPDX-License-Identifier: GPL-2.0-or-later
'use strict'; exports.activate = () => {};
