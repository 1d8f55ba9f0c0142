// SPDX-License-Identifier: GPL-2.0-or-later
// Address text, CIDR parsing and matching (inet_pton/inet_ntop; no sockets).
#include "address.h"

#include <arpa/inet.h>

#include <cstring>

namespace sa::logd {

Peer normalise_mapped(const Peer& p) {
  if (p.v4) return p;
  static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(p.bytes.data(), prefix, 12) != 0) return p;
  Peer out;
  out.v4 = true;
  std::memcpy(out.bytes.data(), p.bytes.data() + 12, 4);
  return out;
}

std::string peer_text(const Peer& p) {
  char buf[INET6_ADDRSTRLEN];
  if (!inet_ntop(p.v4 ? AF_INET : AF_INET6, p.bytes.data(), buf, sizeof buf)) return "?";
  return buf;
}

bool parse_peer(std::string_view text, Peer* out) {
  std::string s(text);
  Peer p;
  if (inet_pton(AF_INET, s.c_str(), p.bytes.data()) == 1) {
    p.v4 = true;
  } else if (inet_pton(AF_INET6, s.c_str(), p.bytes.data()) == 1) {
    p.v4 = false;
  } else {
    return false;
  }
  *out = normalise_mapped(p);
  return true;
}

bool parse_cidr(std::string_view text, Cidr* out, std::string* err) {
  size_t slash = text.find('/');
  Cidr c;
  if (!parse_peer(text.substr(0, slash), &c.base)) {
    *err = "bad --allow value '" + std::string(text) + "': not an IPv4 or IPv6 address";
    return false;
  }
  bool was_mapped = c.base.v4 && text.substr(0, slash).find(':') != std::string_view::npos;
  int max = c.base.v4 ? 32 : 128;
  c.prefix = max;
  if (slash != std::string_view::npos) {
    std::string_view len = text.substr(slash + 1);
    int n = 0;
    bool ok = !len.empty() && len.size() <= 3;
    for (char ch : len) {
      if (ch < '0' || ch > '9')
        ok = false;
      else
        n = n * 10 + (ch - '0');
    }
    if (was_mapped) n -= 96;
    if (!ok || n < 0 || n > max) {
      *err = "bad --allow value '" + std::string(text) + "': prefix length must be 0.." +
             std::to_string(max);
      return false;
    }
    c.prefix = n;
  }
  *out = c;
  return true;
}

bool cidr_contains(const Cidr& c, const Peer& p) {
  if (c.base.v4 != p.v4) return false;
  int full = c.prefix / 8, rest = c.prefix % 8;
  if (std::memcmp(c.base.bytes.data(), p.bytes.data(), static_cast<size_t>(full)) != 0)
    return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (c.base.bytes[full] & mask) == (p.bytes[full] & mask);
}

bool allowed(const std::vector<Cidr>& allow, const Peer& p) {
  if (allow.empty()) return true;
  for (const Cidr& c : allow)
    if (cidr_contains(c, p)) return true;
  return false;
}

}  // namespace sa::logd
