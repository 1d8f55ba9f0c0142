// SPDX-License-Identifier: GPL-2.0-or-later
// The version of every JSON object the tools print (share/json-format.md): each one carries it as
// its first member, "format". A change that a reader of format 1 would misread bumps it.
#pragma once

namespace sa {

inline constexpr int kJsonFormat = 1;

}  // namespace sa
