// SPDX-License-Identifier: GPL-2.0-or-later
// Sender addresses and the --allow list: pure functions over address bytes, no sockets.
//
// An IPv4 sender that reaches an IPv6 socket arrives as ::ffff:a.b.c.d; it is an IPv4 address here
// (normalise_mapped), so that names, links and --allow rules use the dotted form.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sa::logd {

struct Peer {
  bool v4 = true;
  std::array<uint8_t, 16> bytes{};  // IPv4: the first 4 bytes
  bool operator==(const Peer&) const = default;
};

// Turns a v4-mapped IPv6 address into the IPv4 one.
Peer normalise_mapped(const Peer& p);

// Dotted quad or RFC 5952 text (inet_ntop).
std::string peer_text(const Peer& p);

// Parses an IPv4 or IPv6 address (no brackets, no port).
bool parse_peer(std::string_view text, Peer* out);

struct Cidr {
  Peer base;
  int prefix = 0;
};

// "ADDR" (a single host) or "ADDR/LEN". An IPv4-mapped IPv6 rule is normalised to IPv4.
bool parse_cidr(std::string_view text, Cidr* out, std::string* err);

bool cidr_contains(const Cidr& c, const Peer& p);

// True when `allow` is empty (everyone may write) or some rule contains p.
bool allowed(const std::vector<Cidr>& allow, const Peer& p);

}  // namespace sa::logd
