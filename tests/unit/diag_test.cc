// SPDX-License-Identifier: GPL-2.0-or-later
// The diagnostic format is an interface (editors and scripts parse it): test it to the byte.
#include "diag.h"

#include <doctest/doctest.h>

using sa::Diag;
using sa::Exit;

TEST_CASE("error with file and line") {
  Diag d = Diag::error_at(Exit::data_error, "fs/open.c", 1234, "line is outside any function");
  CHECK(sa::format_diag("stap-addprobe", d) ==
        "stap-addprobe: fs/open.c:1234: error: line is outside any function\n");
  CHECK(sa::exit_code(d.exit) == 65);
}

TEST_CASE("error with a file but no line") {
  Diag d =
      Diag::error_at(Exit::no_input, "tracer.stp", 0, "cannot open: No such file or directory");
  CHECK(sa::format_diag("stap-preamble", d) ==
        "stap-preamble: tracer.stp: error: cannot open: No such file or directory\n");
}

TEST_CASE("error without location, with notes") {
  Diag d = Diag::error(Exit::unavailable, "port 65530 is in use");
  d.note("another stap-logd may be running").note("pass -p PORT");
  CHECK(sa::format_diag("stap-logd", d) ==
        "stap-logd: error: port 65530 is in use\n"
        "stap-logd: note: another stap-logd may be running\n"
        "stap-logd: note: pass -p PORT\n");
  CHECK(sa::exit_code(d.exit) == 69);
}

TEST_CASE("warnings do not fail the run") {
  Diag d = Diag::warning_at("include/linux/fs.h", 10, "inline function: probing its statements");
  CHECK(sa::format_diag("stap-addprobe", d) ==
        "stap-addprobe: include/linux/fs.h:10: warning: inline function: probing its statements\n");
  CHECK(d.exit == Exit::ok);
}

TEST_CASE("exit codes are the sysexits values the man pages document") {
  CHECK(sa::exit_code(Exit::ok) == 0);
  CHECK(sa::exit_code(Exit::usage) == 64);
  CHECK(sa::exit_code(Exit::data_error) == 65);
  CHECK(sa::exit_code(Exit::no_input) == 66);
  CHECK(sa::exit_code(Exit::unavailable) == 69);
  CHECK(sa::exit_code(Exit::internal) == 70);
  CHECK(sa::exit_code(Exit::cant_create) == 73);
  CHECK(sa::exit_code(Exit::io_error) == 74);
}

TEST_CASE("format_diag with colour paints only the words, like gcc") {
  sa::Diag d = sa::Diag::error_at(sa::Exit::data_error, "fs/open.c", 12, "no code");
  d.note("try line 13");
  CHECK(sa::format_diag("stap-addprobe", d, true) ==
        "\033[01mstap-addprobe: fs/open.c:12:\033[m \033[01;31merror:\033[m no code\n"
        "\033[01mstap-addprobe:\033[m \033[01;36mnote:\033[m try line 13\n");
  CHECK(sa::format_diag("stap-addprobe", d, false) ==
        "stap-addprobe: fs/open.c:12: error: no code\nstap-addprobe: note: try line 13\n");
  sa::Diag w = sa::Diag::warning_at("x.c", 0, "inlined");
  CHECK(sa::format_diag("t", w, true) ==
        "\033[01mt: x.c:\033[m \033[01;35mwarning:\033[m inlined\n");
}
