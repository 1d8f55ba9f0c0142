// SPDX-License-Identifier: GPL-2.0-or-later
#include "progress.h"

#include <doctest/doctest.h>

using sa::Progress;

TEST_CASE("progress: a line per step when not a terminal") {
  std::string out;
  {
    Progress p("tool", false, [&](const std::string& s) { out += s; });
    p.step(0, 0, "checking 2 locations with stap -p2");
    p.step(1, 2, "checking fs/open.c:vfs_open");
    p.step(2, 2, "checking fs/open.c:do_sys_open");
  }
  CHECK(out ==
        "tool: checking 2 locations with stap -p2\n"
        "tool: [1/2] checking fs/open.c:vfs_open\n"
        "tool: [2/2] checking fs/open.c:do_sys_open\n");
}

TEST_CASE("progress: on a terminal one status line, rewritten, then cleared") {
  std::string out;
  Progress p("tool", true, [&](const std::string& s) { out += s; });
  p.step(1, 2, "checking a");
  p.step(2, 2, "checking b");
  CHECK(out == "\rtool: [1/2] checking a\033[K\rtool: [2/2] checking b\033[K");
  p.done();
  CHECK(out.substr(out.size() - 4) == "\r\033[K");
  p.done();  // twice: nothing more
  CHECK(out.substr(out.size() - 8, 4) != "\r\033[K");
}
