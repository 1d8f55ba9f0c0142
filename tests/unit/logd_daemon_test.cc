// The daemon between server and store: --allow, follow output, flush on an idle socket.
#include <doctest/doctest.h>

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
  SessionStore store{fs, StoreOptions{"/s", {}, 1 << 20, [] { return system_clock::time_point(seconds(1795752000)); }}};
  std::vector<sa::Diag> reports;
  std::string out;
  Fixture() {
    sa::Diag err;
    REQUIRE(store.open(&err));
  }
  DaemonOptions options(std::vector<Cidr> allow, Follow follow) {
    return DaemonOptions{std::move(allow), follow, [this](const sa::Diag& d) { reports.push_back(d); },
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
  CHECK(d.summary() == "received 2 datagrams, wrote 2 lines in 1 sessions, lost 0 lines, rejected 2 datagrams");
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
  CHECK(f.out.find("\"kind\":\"trace\",\"seq\":7,\"time\":1.000001,\"cpu\":0,\"comm\":\"sh\",\"pid\":1,\"tid\":1,"
                   "\"mark\":\"!!\",\"function\":\"hello\"") != std::string::npos);
  CHECK(std::count(f.out.begin(), f.out.end(), '\n') == 2);
}
