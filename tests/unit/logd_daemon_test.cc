// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon between server and store: --allow, follow output, flush on an idle socket.
#include <doctest/doctest.h>

#include <cerrno>

#include "daemon.h"

using namespace sa::logd;
using namespace std::chrono;

namespace {

Peer peer(const char* text) {
  Peer p;
  REQUIRE(parse_peer(text, &p));
  return p;
}

struct Fixture {
  MemFileSystem fs;
  SessionStore store{fs, StoreOptions{"/s", {}, 1 << 20, [] {
                                        return system_clock::time_point(seconds(1795752000));
                                      }}};
  std::vector<sa::Diag> reports;
  std::string out;
  Fixture() {
    sa::Diag err;
    REQUIRE(store.open(&err));
  }
  DaemonOptions options(std::vector<Cidr> allow, Follow follow) {
    return DaemonOptions{std::move(allow), follow,
                         [this](const sa::Diag& d) { reports.push_back(d); },
                         [this](std::string_view s) { out.append(s); }};
  }
};

}  // namespace

TEST_CASE("senders outside --allow are dropped, counted and reported once") {
  Fixture f;
  Cidr c;
  std::string err;
  REQUIRE(parse_cidr("10.0.2.0/24", &c, &err));
  Daemon d(f.store, f.options({c}, Follow::none));
  d.on_datagram(peer("192.168.1.9"), "===CLEAR===");
  d.on_datagram(peer("192.168.1.9"), "nope\n");
  d.on_datagram(peer("::ffff:10.0.2.15"), "===CLEAR===");
  d.on_datagram(peer("10.0.2.15"), "yes\n");
  d.on_batch_end(true);
  REQUIRE(f.reports.size() == 1);
  CHECK(sa::format_diag("stap-logd", f.reports[0]) ==
        "stap-logd: warning: ignoring datagrams from 192.168.1.9: not in --allow\n");
  CHECK_FALSE(f.store.has_session("192.168.1.9"));
  CHECK(f.fs.read("/s/" + f.store.session_of("10.0.2.15")) ==
        "-- stap-logd: session from 10.0.2.15 started by ===CLEAR===\nyes\n");
  CHECK(d.summary() ==
        "received 2 datagrams, wrote 2 lines in 1 sessions, lost 0 lines, rejected 2 datagrams");
}

TEST_CASE("an idle socket flushes lines and follow output at once") {
  Fixture f;
  Daemon d(f.store, f.options({}, Follow::text));
  d.on_datagram(peer("127.0.0.1"), "SA1 0 0 1/1 ===CLEAR===");
  d.on_datagram(peer("127.0.0.1"), "SA1 0 1 1/1 one");
  CHECK(f.out.empty());
  d.on_batch_end(false);  // more to come, and less than kFlushInterval since the last flush
  d.on_batch_end(true);
  CHECK(f.out == "-- stap-logd: session from 127.0.0.1 started by ===CLEAR===\none\n");
  CHECK(f.fs.read("/s/" + f.store.session_of("127.0.0.1")) == f.out);
}

TEST_CASE("--json follow output is one object per line") {
  Fixture f;
  Daemon d(f.store, f.options({}, Follow::json));
  d.on_datagram(peer("127.0.0.1"), "SA1 0 7 1/1 1.000001 cpu0 sh[1/1] !! hello");
  d.finish();
  CHECK(f.out.find("\"kind\":\"note\"") != std::string::npos);
  CHECK(f.out.find("\"kind\":\"trace\",\"seq\":7,\"time\":1.000001,\"cpu\":0,\"comm\":\"sh\","
                   "\"pid\":1,\"tid\":1,"
                   "\"mark\":\"!!\",\"function\":\"hello\"") != std::string::npos);
  CHECK(std::count(f.out.begin(), f.out.end(), '\n') == 2);
}

TEST_CASE("follow output that lost its reader (EPIPE) stops the daemon, once said") {
  Fixture f;
  int error = 0;
  DaemonOptions o = f.options({}, Follow::text);
  o.out_error = [&error] { return error; };
  Daemon d(f.store, o);
  CHECK_FALSE(d.wants_stop());
  error = EIO;  // another error ends follow output only
  CHECK_FALSE(d.wants_stop());
  error = EPIPE;
  CHECK(d.wants_stop());
  CHECK(d.wants_stop());
  REQUIRE(f.reports.size() == 1);
  CHECK(sa::format_diag("stap-logd", f.reports[0]) ==
        "stap-logd: note: follow output closed by its reader (Broken pipe): stopping\n");
}

TEST_CASE("the summary counts what reached the files; a line that did not is exit 74") {
  Fixture f;
  Daemon d(f.store, f.options({}, Follow::none));
  d.on_datagram(peer("127.0.0.1"), "SA1 0 0 1/1 ===CLEAR===");
  d.on_datagram(peer("127.0.0.1"), "SA1 0 1 1/1 one");
  d.on_batch_end(true);
  f.fs.capacity = f.fs.used();
  d.on_datagram(peer("127.0.0.1"), "SA1 0 2 1/1 two");
  d.on_datagram(peer("127.0.0.1"), "SA1 0 3 1/1 three");
  CHECK(d.finish() == sa::Exit::io_error);
  CHECK(d.summary() ==
        "received 4 datagrams, wrote 2 lines in 1 sessions, lost 0 lines, 2 lines not written (see "
        "the notes in the sessions)");
}

TEST_CASE("SIGHUP says which files could not be reopened instead of 'reopened'") {
  Fixture f;
  Daemon d(f.store, f.options({}, Follow::none));
  d.on_datagram(peer("127.0.0.1"), "SA1 0 0 1/1 ===CLEAR===");
  d.on_batch_end(true);
  f.fs.files.clear();
  f.fs.dirs.erase("/s");
  d.on_reopen();
  REQUIRE(f.reports.size() == 2);
  CHECK(f.reports[1].message == "SIGHUP: 1 session files could not be reopened");
  CHECK(f.reports[1].severity == sa::Severity::warning);
}

TEST_CASE("datagrams dropped at a full receive queue are warned about once and counted") {
  Fixture f;
  Daemon d(f.store, f.options({}, Follow::none));
  d.on_datagram(peer("10.0.2.15"), "a\n");
  d.on_dropped(64);
  d.on_dropped(3);
  d.on_batch_end(true);
  REQUIRE(f.reports.size() == 1);
  CHECK(sa::format_diag("stap-logd", f.reports[0]) ==
        "stap-logd: warning: receive queue full (64 MiB): dropping datagrams until the sessions "
        "catch up\n"
        "stap-logd: note: the summary counts them; their trace lines are noted as lost in the "
        "sessions (sequence gaps)\n");
  CHECK(d.summary() ==
        "received 1 datagrams, wrote 4 lines in 1 sessions, lost 0 lines, dropped 67 datagrams "
        "(receive queue full)");
  // And in the session, where the user reads, at the place of the loss.
  CHECK(f.fs.read("/s/" + f.store.session_of("10.0.2.15")) ==
        "-- stap-logd: session from 10.0.2.15 started by its first datagram (no ===CLEAR=== seen)\n"
        "a\n"
        "-- stap-logd: receive queue full (64 MiB): 64 datagrams of any sender dropped unread; "
        "their trace lines are noted as lost (sequence gaps), other lines are not counted\n"
        "-- stap-logd: receive queue full (64 MiB): 3 datagrams of any sender dropped unread; "
        "their trace lines are noted as lost (sequence gaps), other lines are not counted\n");
}
