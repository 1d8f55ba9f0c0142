// SPDX-License-Identifier: GPL-2.0-or-later
// The one session-line parser (tools/common/session_line.h), tested exactly.
#include "session_line.h"

#include <doctest/doctest.h>

using namespace sa::session;

TEST_CASE("a call line is split into its fields, with depth, where and details") {
  SessionLine s = parse_session_line(
      "12.345678 cpu1 ls[123/124]     -> do_sys_openat2@fs/open.c:1310 dfd=0xffffff9c "
      "how={.flags=0}");
  REQUIRE(s.kind == LineKind::trace);
  const TraceLine& t = s.trace;
  CHECK(t.time == "12.345678");
  CHECK(t.time_us == 12345678);
  CHECK(t.cpu == 1);
  CHECK(t.comm == "ls");
  CHECK(t.pid == 123);
  CHECK(t.tid == 124);
  CHECK(t.depth == 2);
  CHECK(t.mark == Mark::call);
  CHECK(t.function == "do_sys_openat2");
  CHECK(t.where == "@fs/open.c:1310");
  CHECK(t.file == "fs/open.c");
  CHECK(t.line == 1310);
  CHECK(t.details == "dfd=0xffffff9c how={.flags=0}");
}

TEST_CASE("a void return has no details; a comm may hold '/' and '['") {
  SessionLine s = parse_session_line("1.000072 cpu0 kworker/u8:[1[7/8] <- putname");
  REQUIRE(s.kind == LineKind::trace);
  CHECK(s.trace.comm == "kworker/u8:[1");
  CHECK(s.trace.pid == 7);
  CHECK(s.trace.depth == 0);
  CHECK(s.trace.details.empty());
  CHECK(s.trace.where.empty());
  CHECK(return_value(s.trace.details).empty());
}

TEST_CASE("notes count lost lines by their wording; late notes do not") {
  SessionLine s = parse_session_line("-- stap-logd: lost 3 lines (cpu 1, seq 40..42)");
  CHECK(s.kind == LineKind::note);
  CHECK(s.lost == 3);
  CHECK(parse_session_line("-- stap-logd: lost 1 line (cpu 1, seq 4..4), incomplete: x").lost == 1);
  CHECK(parse_session_line("-- stap-logd: late or repeated datagram (cpu 0, seq 8, part 1/1): 1.0 "
                           "cpu0 a[1/1] <- f return=1")
            .lost == 0);
  CHECK(parse_session_line("-- stap-logd: lost track").lost == 0);
  CHECK(parse_session_line("===CLEAR===").kind == LineKind::clear);
  CHECK(parse_session_line("[   3.100000] netconsole text").kind == LineKind::other);
  CHECK(parse_session_line("1.000000 cpu0 ls[1/1] => f").kind == LineKind::other);
  CHECK(parse_session_line("1.00000 cpu0 ls[1/1] -> f").kind == LineKind::other);
  CHECK(parse_session_line("1.000000 cpu0 ls[1/x] -> f").kind == LineKind::other);
}

TEST_CASE("error values: -4095..-1 as signed 64-bit, decimal or hex, and ERR_PTR") {
  CHECK(is_error_value("-1"));
  CHECK(is_error_value("-4095"));
  CHECK_FALSE(is_error_value("-4096"));
  CHECK_FALSE(is_error_value("0"));
  CHECK_FALSE(is_error_value("4095"));
  CHECK(is_error_value("0xfffffffffffffffe"));
  CHECK(is_error_value("0xFFFFFFFFFFFFF001"));
  CHECK_FALSE(is_error_value("0xfffffffffffff000"));
  CHECK_FALSE(is_error_value("0xfffffffe"));  // a 32-bit -2 is not a 64-bit error
  CHECK_FALSE(is_error_value("0x10fffffffffffffffe"));
  CHECK(is_error_value("ERR_PTR(-ENOENT)"));
  CHECK_FALSE(is_error_value("-99999999999999999999999"));
  CHECK_FALSE(is_error_value(""));
  CHECK(return_value("return=-2 extra") == "-2");
}
