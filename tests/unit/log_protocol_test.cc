// SPDX-License-Identifier: GPL-2.0-or-later
// The wire format of share/log-format.md (version 1), netconsole, and the sanitiser, tested
// exactly.
#include "log_protocol.h"

#include <doctest/doctest.h>

using namespace sa::logproto;
using namespace std::string_view_literals;

TEST_CASE("an SA1 chunk is split into its fields") {
  Datagram d = parse_datagram("SA1 3 42 2/5 hello world");
  REQUIRE(d.kind == Kind::sa1);
  CHECK(d.cpu == 3);
  CHECK(d.seq == 42);
  CHECK(d.part == 2);
  CHECK(d.parts == 5);
  CHECK(d.chunk == "hello world");
}

TEST_CASE("one trailing newline is stripped from a chunk, and only one") {
  CHECK(parse_datagram("SA1 0 1 1/1 text\n").chunk == "text");
  CHECK(parse_datagram("SA1 0 1 1/1 text\n\n").chunk == "text\n");
}

TEST_CASE("an empty chunk is allowed, with or without its space") {
  CHECK(parse_datagram("SA1 0 1 1/1 ").kind == Kind::sa1);
  CHECK(parse_datagram("SA1 0 1 1/1 ").chunk.empty());
  CHECK(parse_datagram("SA1 0 1 1/1").kind == Kind::sa1);
}

TEST_CASE("the module's clear and the plain clear") {
  CHECK(is_sa1_clear(parse_datagram("SA1 1 0 1/1 ===CLEAR===")));
  CHECK_FALSE(is_sa1_clear(parse_datagram("SA1 1 5 1/1 ===CLEAR===")));
  CHECK(is_sa1_clear(parse_datagram("SA1 1 0 1/1 ===MY CLEAR===")));  // a custom clear_msg
  CHECK_FALSE(is_sa1_clear(parse_datagram("SA1 1 0 1/2 ===CLEAR===")));
  CHECK(parse_datagram("===CLEAR===").kind == Kind::clear);
  CHECK(parse_datagram("===CLEAR===\n").kind == Kind::clear);
  CHECK(parse_datagram("===CLEAR=== ").kind == Kind::raw);
  CHECK(parse_datagram("x===CLEAR===").kind == Kind::raw);
}

TEST_CASE("malformed SA1 headers are raw text, kept whole") {
  for (std::string_view bad :
       {"SA1 ", "SA1 x 1 1/1 a", "SA1 0 1 0/1 a", "SA1 0 1 2/1 a", "SA1 0 1 1/65 a", "SA1 0 1 1/1x",
        "SA1 0 1 1-1 a", "SA1 0 123456789012345678901 1/1 a", "SA1  0 1 1/1 a", "SA2 0 1 1/1 a",
        "sa1 0 1 1/1 a"}) {
    CAPTURE(bad);
    Datagram d = parse_datagram(bad);
    CHECK(d.kind == Kind::raw);
    CHECK(d.text == bad);
  }
}

TEST_CASE("64 parts is the limit") {
  CHECK(parse_datagram("SA1 0 1 64/64 a").kind == Kind::sa1);
  CHECK(parse_datagram("SA1 0 1 1/64 a").parts == 64);
}

TEST_CASE("netconsole extended record") {
  Datagram d = parse_datagram("14,1234,5678901,-;hello there\n SUBSYSTEM=net\n DEVICE=n2\n");
  REQUIRE(d.kind == Kind::netconsole_ext);
  CHECK(d.level == 6);  // facility 1 (user) << 3 | 6
  CHECK(d.nc_seq == 1234);
  CHECK(d.ts_usec == 5678901);
  CHECK_FALSE(d.fragment);
  CHECK(netconsole_message(d.body) == "hello there");
}

TEST_CASE("netconsole fragment header") {
  Datagram d = parse_datagram("6,416,1758426,-,ncfrag=16/31; the second chunk.");
  REQUIRE(d.kind == Kind::netconsole_ext);
  CHECK(d.fragment);
  CHECK(d.frag_offset == 16);
  CHECK(d.frag_total == 31);
  CHECK(d.body == " the second chunk.");
}

TEST_CASE("things that look like netconsole but are not") {
  for (std::string_view s :
       {"6,1,2;x", "6,1,2,;x", "a,1,2,-;x", "6,1,2,-,ncfrag=5/5;x", "6,1,2,-,ncfrag=1;x",
        "6,1,2,-,ncfrag=0/65537;x", "6,1, 2,-;x", "12:00 meeting; bring coffee"}) {
    CAPTURE(s);
    CHECK(parse_datagram(s).kind == Kind::raw);
  }
}

TEST_CASE("plain netconsole text is raw") {
  Datagram d = parse_datagram("[   12.345678] Kernel panic - not syncing: sysrq triggered crash\n");
  CHECK(d.kind == Kind::raw);
}

TEST_CASE("sanitize keeps printable text, UTF-8 and tabs") {
  CHECK(sanitize("plain text") == "plain text");
  CHECK(sanitize("a\tb") == "a\tb");
  CHECK(sanitize("gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80") ==
        "gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST_CASE("sanitize makes control characters visible") {
  CHECK(sanitize("\x1b[2J\x1b]0;title\x07") == "\\x1b[2J\\x1b]0;title\\x07");
  CHECK(sanitize(std::string_view("a\0b", 3)) == "a\\x00b");
  CHECK(sanitize("line\nbreak\r") == "line\\x0abreak\\x0d");
  CHECK(sanitize("\x7f") == "\\x7f");
}

TEST_CASE("sanitize escapes bidirectional controls like C1, byte by byte") {
  CHECK(sanitize("a\u202eb") == "a\\xe2\\x80\\xaeb");  // RIGHT-TO-LEFT OVERRIDE
  CHECK(sanitize("\u202a\u202b\u202c\u202d") ==
        "\\xe2\\x80\\xaa\\xe2\\x80\\xab\\xe2\\x80\\xac\\xe2\\x80\\xad");
  CHECK(sanitize("\u2066\u2069") == "\\xe2\\x81\\xa6\\xe2\\x81\\xa9");
  CHECK(sanitize("\u200e\u200f") == "\\xe2\\x80\\x8e\\xe2\\x80\\x8f");
  CHECK(sanitize("\u061c") == "\\xd8\\x9c");
  CHECK(sanitize("\u202f\u2065\u206a\u200d") == "\u202f\u2065\u206a\u200d");  // neighbours pass
}

TEST_CASE("sanitize escapes C1 controls and invalid UTF-8 byte by byte") {
  CHECK(sanitize("\xc2\x9b"
                 "31m") == "\\xc2\\x9b31m");  // U+009B, CSI
  CHECK(sanitize("\x9b") == "\\x9b");
  CHECK(sanitize("\xc3") == "\\xc3");                             // truncated sequence
  CHECK(sanitize("\xc0\xaf") == "\\xc0\\xaf");                    // overlong
  CHECK(sanitize("\xed\xa0\x80") == "\\xed\\xa0\\x80");           // surrogate
  CHECK(sanitize("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // beyond U+10FFFF
}
