// SPDX-License-Identifier: GPL-2.0-or-later
// Sender addresses and --allow rules.
#include <doctest/doctest.h>

#include "address.h"

using namespace sa::logd;

namespace {
Peer peer(const char* text) {
  Peer p;
  REQUIRE(parse_peer(text, &p));
  return p;
}
Cidr cidr(const char* text) {
  Cidr c;
  std::string err;
  REQUIRE(parse_cidr(text, &c, &err));
  return c;
}
}  // namespace

TEST_CASE("IPv4-mapped senders are IPv4") {
  Peer p = peer("::ffff:10.0.2.15");
  CHECK(p.v4);
  CHECK(peer_text(p) == "10.0.2.15");
  CHECK(peer_text(peer("fe80::1")) == "fe80::1");
}

TEST_CASE("--allow rules") {
  CHECK(cidr_contains(cidr("10.0.2.0/24"), peer("10.0.2.15")));
  CHECK_FALSE(cidr_contains(cidr("10.0.2.0/24"), peer("10.0.3.15")));
  CHECK(cidr_contains(cidr("127.0.0.1"), peer("127.0.0.1")));
  CHECK_FALSE(cidr_contains(cidr("127.0.0.1"), peer("127.0.0.2")));
  CHECK(cidr_contains(cidr("0.0.0.0/0"), peer("192.168.1.1")));
  CHECK_FALSE(cidr_contains(cidr("0.0.0.0/0"), peer("::1")));
  CHECK(cidr_contains(cidr("fd00::/8"), peer("fd12::5")));
  CHECK(cidr_contains(cidr("10.0.0.0/9"), peer("10.127.0.1")));
  CHECK_FALSE(cidr_contains(cidr("10.0.0.0/9"), peer("10.128.0.1")));
  CHECK(cidr_contains(cidr("::ffff:10.0.0.0/104"), peer("10.1.2.3")));
  CHECK(allowed({}, peer("1.2.3.4")));
  CHECK(allowed({cidr("::1"), cidr("127.0.0.0/8")}, peer("127.9.9.9")));
}

TEST_CASE("bad --allow values") {
  Cidr c;
  std::string err;
  CHECK_FALSE(parse_cidr("10.0.0.0/33", &c, &err));
  CHECK(err == "bad --allow value '10.0.0.0/33': prefix length must be 0..32");
  CHECK_FALSE(parse_cidr("example.com", &c, &err));
  CHECK(err == "bad --allow value 'example.com': not an IPv4 or IPv6 address");
  CHECK_FALSE(parse_cidr("10.0.0.0/", &c, &err));
  CHECK_FALSE(parse_cidr("::/129", &c, &err));
}
