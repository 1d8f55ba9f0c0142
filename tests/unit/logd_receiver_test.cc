// SPDX-License-Identifier: GPL-2.0-or-later
// Reassembly, gap detection, raw text and netconsole, from datagrams to session lines.
#include <doctest/doctest.h>

#include "line_format.h"
#include "receiver.h"

using namespace sa::logd;
using namespace std::chrono;

namespace {

struct Fixture {
  MemFileSystem fs;
  SessionStore store{fs, StoreOptions{"/s", {}, 1 << 20, [] {
                                        return system_clock::time_point(seconds(1795752000));
                                      }}};
  std::vector<std::string> followed;
  Receiver rx{store, [this](const LineEvent& e) { followed.emplace_back(e.text); }};
  Steady t0 = Steady(seconds(100));

  Fixture() {
    sa::Diag err;
    REQUIRE(store.open(&err));
  }
  void send(std::string_view d, const std::string& sender = "10.0.2.15", Steady at = {}) {
    rx.on_datagram(sender, d, at == Steady{} ? t0 : at);
  }
  // The current session of `sender`, flushed.
  std::string session(const std::string& sender = "10.0.2.15") {
    store.flush();
    return fs.read("/s/" + store.session_of(sender));
  }
};

const char* kClearNote = "-- stap-logd: session from 10.0.2.15 started by ===CLEAR===\n";

}  // namespace

TEST_CASE("a module's lines land after its clear, in a new session") {
  Fixture f;
  f.send("early line");
  f.send("\n");
  std::string first = f.store.session_of("10.0.2.15");
  CHECK(f.session() ==
        "-- stap-logd: session from 10.0.2.15 started by its first datagram (no ===CLEAR=== seen)\n"
        "early line\n");
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/1 1.000001 cpu0 a[1/1] -> f");
  f.send("SA1 0 2 1/1 1.000002 cpu0 a[1/1] <- f return=0");
  CHECK(f.store.session_of("10.0.2.15") != first);
  CHECK(f.session() == std::string(kClearNote) +
                           "1.000001 cpu0 a[1/1] -> f\n1.000002 cpu0 a[1/1] <- f return=0\n");
  f.store.flush();
  CHECK(f.fs.read("/s/" + first).find("early line\n") != std::string::npos);
}

TEST_CASE("a line split across datagrams is joined with nothing added") {
  Fixture f;
  f.send("SA1 1 0 1/1 ===CLEAR===");
  f.send("SA1 1 1 1/3 abc ");
  f.send("SA1 1 1 2/3 def");
  f.send("SA1 1 1 3/3  ghi\n");
  CHECK(f.session() == std::string(kClearNote) + "abc def ghi\n");
}

TEST_CASE("chunks of different CPUs may interleave") {
  Fixture f;
  f.send("===CLEAR===");
  f.send("SA1 0 7 1/2 zero-");
  f.send("SA1 1 9 1/2 one-");
  f.send("SA1 1 9 2/2 done");
  f.send("SA1 0 7 2/2 done");
  CHECK(f.session() == std::string(kClearNote) + "one-done\nzero-done\n");
}

TEST_CASE("a jump in the sequence is a lost-lines note with the range") {
  Fixture f;
  f.send("SA1 2 0 1/1 ===CLEAR===");
  f.send("SA1 2 1 1/1 one");
  f.send("SA1 2 5 1/1 five");
  f.send("SA1 2 7 1/1 seven");
  CHECK(f.session() == std::string(kClearNote) + "one\n");  // the rest may still come: held
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() == std::string(kClearNote) +
                           "one\n-- stap-logd: lost 3 lines (cpu 2, seq 2..4)\nfive\n"
                           "-- stap-logd: lost 1 line (cpu 2, seq 6..6)\nseven\n");
  CHECK(f.rx.stats().lost_lines == 4);
}

TEST_CASE("after a module clear, lines lost at the start of a CPU are counted") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 1 3 1/1 three");
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() ==
        std::string(kClearNote) + "-- stap-logd: lost 2 lines (cpu 1, seq 1..2)\nthree\n");
}

TEST_CASE("without a module clear the first line of a CPU sets the baseline") {
  Fixture f;
  f.send("===CLEAR===");
  f.send("SA1 0 5000 1/1 mid-stream");
  f.send("SA1 0 5001 1/1 next");
  CHECK(f.session() == std::string(kClearNote) + "mid-stream\nnext\n");
}

TEST_CASE("a line whose middle chunk was lost is a note with what arrived") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/3 abc");
  f.send("SA1 0 1 3/3 ghi");
  f.send("SA1 0 2 1/1 next");
  CHECK(f.session() == kClearNote);
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() ==
        std::string(kClearNote) +
            "-- stap-logd: lost 1 line (cpu 0, seq 1..1), incomplete: abcghi\nnext\n");
}

TEST_CASE("a line whose last chunk never comes is written as incomplete after the timeout") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/2 abc");
  f.rx.tick(f.t0 + milliseconds(10));
  CHECK(f.session() == kClearNote);
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() ==
        std::string(kClearNote) + "-- stap-logd: lost 1 line (cpu 0, seq 1..1), incomplete: abc\n");
}

TEST_CASE("one CPU's datagrams that netpoll reordered are written in sequence order, no note") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/1 one");
  f.send("SA1 0 3 1/1 three");
  f.send("SA1 0 4 2/2 -end");  // chunks can be reordered too
  CHECK(f.session() == std::string(kClearNote) + "one\n");
  f.send("SA1 0 2 1/1 two");
  CHECK(f.session() == std::string(kClearNote) + "one\ntwo\nthree\n");
  f.send("SA1 0 4 1/2 four");
  f.send("SA1 0 5 1/1 five");
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() == std::string(kClearNote) + "one\ntwo\nthree\nfour-end\nfive\n");
  CHECK(f.rx.stats().lost_lines == 0);
}

TEST_CASE("a gap waits from the first line that arrived after it") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/1 one");
  f.send("SA1 0 4 1/1 four", "10.0.2.15", f.t0);
  f.send("SA1 0 3 1/1 three", "10.0.2.15", f.t0 + milliseconds(500));
  f.rx.tick(f.t0 + kHoldTimeout - milliseconds(1));
  CHECK(f.session() == std::string(kClearNote) + "one\n");
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() == std::string(kClearNote) +
                           "one\n-- stap-logd: lost 1 line (cpu 0, seq 2..2)\nthree\nfour\n");
}

TEST_CASE("gaps one behind the other each wait from the first line that arrived behind them") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/1 one");
  f.send("SA1 0 3 1/1 three", "10.0.2.15", f.t0);
  f.send("SA1 0 5 1/1 five", "10.0.2.15", f.t0 + milliseconds(600));
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() ==
        std::string(kClearNote) + "one\n-- stap-logd: lost 1 line (cpu 0, seq 2..2)\nthree\n");
  f.rx.tick(f.t0 + milliseconds(600) + kHoldTimeout - milliseconds(1));
  CHECK(f.session() ==
        std::string(kClearNote) + "one\n-- stap-logd: lost 1 line (cpu 0, seq 2..2)\nthree\n");
  f.rx.tick(f.t0 + milliseconds(600) + kHoldTimeout);
  CHECK(f.session() == std::string(kClearNote) +
                           "one\n-- stap-logd: lost 1 line (cpu 0, seq 2..2)\nthree\n"
                           "-- stap-logd: lost 1 line (cpu 0, seq 4..4)\nfive\n");
}

TEST_CASE("a datagram that comes after its line was written, or twice, is a note") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/1 one");
  f.send("SA1 0 1 1/1 one");
  f.send("SA1 0 3 1/1 three");
  f.rx.tick(f.t0 + kHoldTimeout);
  f.send("SA1 0 2 1/1 two", "10.0.2.15", f.t0 + kHoldTimeout);
  CHECK(f.session() ==
        std::string(kClearNote) +
            "one\n-- stap-logd: late or repeated datagram (cpu 0, seq 1, part 1/1): one\n"
            "-- stap-logd: lost 1 line (cpu 0, seq 2..2)\nthree\n"
            "-- stap-logd: late or repeated datagram (cpu 0, seq 2, part 1/1): two\n");
  CHECK(f.rx.stats().lost_lines == 1);
}

TEST_CASE("a CPU that holds too many lines writes its gap as lost at once") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  for (uint64_t seq = 2; seq <= kMaxHeldLines + 1; ++seq)
    f.send("SA1 0 " + std::to_string(seq) + " 1/1 x");
  CHECK(f.session() == kClearNote);
  f.send("SA1 0 " + std::to_string(kMaxHeldLines + 2) + " 1/1 last");
  std::string s = f.session();
  CHECK(s.rfind(std::string(kClearNote) + "-- stap-logd: lost 1 line (cpu 0, seq 1..1)\nx\nx\n",
                0) == 0);
  CHECK(s.size() - s.rfind("x\nlast\n") == 7);
}

TEST_CASE("a sender far behind what was written started again: it is followed, not noted as late") {
  Fixture f;
  f.send("===CLEAR===");
  f.send("SA1 0 100000 1/1 old");
  f.send("SA1 0 1 1/1 new");
  f.send("SA1 0 2 1/1 next");
  CHECK(f.session() == std::string(kClearNote) + "old\nnew\nnext\n");
}

TEST_CASE("at shutdown, held lines are written with their gaps") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 2 1/2 two");
  f.send("SA1 0 3 1/1 three");
  f.rx.finish();
  CHECK(f.session() == std::string(kClearNote) +
                           "-- stap-logd: lost 1 line (cpu 0, seq 1..1)\n"
                           "-- stap-logd: lost 1 line (cpu 0, seq 2..2), incomplete: two\nthree\n");
}

TEST_CASE("control characters from the wire are neutralised in files and follow output") {
  Fixture f;
  f.send("===CLEAR===");
  f.send("SA1 0 1 1/1 evil \x1b]0;pwned\x07 text");
  f.send(std::string_view("raw\0zero\n", 9));
  CHECK(f.session() == std::string(kClearNote) + "evil \\x1b]0;pwned\\x07 text\nraw\\x00zero\n");
  CHECK(f.followed.back() == "raw\\x00zero");
}

TEST_CASE("foreign datagrams are kept as lines; a tail without newline waits briefly") {
  Fixture f;
  f.send("===CLEAR===\n");
  f.send("first\nsecond\r\npart");
  f.send("ial");
  CHECK(f.session() == std::string(kClearNote) + "first\nsecond\n");
  f.rx.tick(f.t0 + kRawLinger);
  CHECK(f.session() == std::string(kClearNote) + "first\nsecond\npartial\n");
}

TEST_CASE("plain netconsole: a message longer than a datagram is one line") {
  Fixture f;
  std::string msg = "[   12.345678] " + std::string(1500, 'x');
  f.send(std::string_view(msg).substr(0, 1000));
  f.send(std::string_view(msg).substr(1000), "10.0.2.15", f.t0 + milliseconds(1));
  f.send("\n", "10.0.2.15", f.t0 + milliseconds(2));
  CHECK(f.session().find(msg + "\n") != std::string::npos);
}

TEST_CASE("netconsole extended: fragments are reassembled into one line, dictionary dropped") {
  Fixture f;
  f.send("===CLEAR===");
  std::string body = std::string(1200, 'y') + "\n SUBSYSTEM=foo\n";
  size_t total = body.size();
  std::string a = "4,77,12345678,-,ncfrag=0/" + std::to_string(total) + ";" + body.substr(0, 900);
  std::string b = "4,77,12345678,-,ncfrag=900/" + std::to_string(total) + ";" + body.substr(900);
  f.send(a);
  CHECK(f.session() == kClearNote);
  f.send(b);
  CHECK(f.session() == std::string(kClearNote) + "[   12.345678] " + std::string(1200, 'y') + "\n");
}

TEST_CASE("netconsole extended: a message whose fragment was lost is written with a note") {
  Fixture f;
  f.send("===CLEAR===");
  f.send("6,5,1000000,-,ncfrag=0/20;0123456789");
  f.send("6,6,2000000,-;next");
  CHECK(f.session() ==
        std::string(kClearNote) +
            "-- stap-logd: incomplete netconsole message (seq 5, 10 of 20 bytes arrived)\n"
            "[    1.000000] 0123456789[10 bytes lost]\n[    2.000000] next\n");
}

TEST_CASE("netconsole extended: a lost middle fragment and a duplicate") {
  Fixture f;
  f.send("===CLEAR===");
  f.send("6,5,1000000,-,ncfrag=0/12;abcd");
  f.send("6,5,1000000,-,ncfrag=0/12;abcd");  // duplicate: counted once
  f.send("6,5,1000000,-,ncfrag=8/12;ijkl");
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() ==
        std::string(kClearNote) +
            "-- stap-logd: incomplete netconsole message (seq 5, 8 of 12 bytes arrived)\n"
            "[    1.000000] abcd[4 bytes lost]ijkl\n");
}

TEST_CASE("two senders never mix") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===", "127.0.0.1");
  f.send("SA1 0 0 1/1 ===CLEAR===", "127.0.0.2");
  f.send("SA1 0 1 1/2 a-", "127.0.0.1");
  f.send("SA1 0 1 1/2 b-", "127.0.0.2");
  f.send("SA1 0 1 2/2 one", "127.0.0.1");
  f.send("SA1 0 1 2/2 two", "127.0.0.2");
  CHECK(f.session("127.0.0.1") ==
        "-- stap-logd: session from 127.0.0.1 started by ===CLEAR===\na-one\n");
  CHECK(f.session("127.0.0.2") ==
        "-- stap-logd: session from 127.0.0.2 started by ===CLEAR===\nb-two\n");
}

TEST_CASE("json lines carry the fields of a trace line") {
  std::string sender = "10.0.2.15", session = "20261127-040000.000000_10.0.2.15.log", out;
  LineEvent e;
  e.sender = &sender;
  e.session = &session;
  e.kind = LineKind::trace;
  e.cpu = 1;
  e.seq = 12;
  e.text = "12.345678 cpu1 ls[123/124]   -> do_sys_openat2@fs/open.c:1310 dfd=0xffffff9c";
  append_json_line(e, &out);
  CHECK(out ==
        "{\"format\":1,\"sender\":\"10.0.2.15\",\"session\":\"20261127-040000.000000_10.0.2.15."
        "log\",\"kind\":"
        "\"trace\","
        "\"seq\":12,\"time\":12.345678,\"cpu\":1,\"comm\":\"ls\",\"pid\":123,\"tid\":124,\"mark\":"
        "\"->\","
        "\"function\":\"do_sys_openat2\",\"text\":\"12.345678 cpu1 ls[123/124]   -> "
        "do_sys_openat2@fs/open.c:1310 "
        "dfd=0xffffff9c\"}\n");
  out.clear();
  e.kind = LineKind::note;
  e.seq.reset();
  e.text = "-- stap-logd: lost 3 lines (cpu 1, seq 2..4)";
  append_json_line(e, &out);
  CHECK(
      out ==
      "{\"format\":1,\"sender\":\"10.0.2.15\",\"session\":\"20261127-040000.000000_10.0.2.15.log\","
      "\"kind\":"
      "\"note\","
      "\"seq\":null,\"time\":null,\"cpu\":1,\"comm\":null,\"pid\":null,\"tid\":null,\"mark\":null,"
      "\"function\":null,\"text\":\"-- stap-logd: lost 3 lines (cpu 1, seq 2..4)\"}\n");
}

TEST_CASE("json strings: plain ASCII as it is, the rest escaped as JSON wants") {
  std::string out;
  LineEvent e;  // no sender nor session: the note of lines a slow reader missed
  e.kind = LineKind::raw;
  e.text = "a \"quoted\" back\\slash\ttab \x01 caf\xc3\xa9 bad\xff end";
  append_json_line(e, &out);
  CHECK(
      out ==
      "{\"format\":1,\"sender\":null,\"session\":null,\"kind\":\"raw\",\"seq\":null,\"time\":null,"
      "\"cpu\":null,\"comm\":null,\"pid\":null,\"tid\":null,\"mark\":null,\"function\":null,"
      "\"text\":\"a \\\"quoted\\\" back\\\\slash\\ttab \\u0001 caf\xc3\xa9 bad\xef\xbf\xbd "
      "end\"}\n");
  out.clear();
  std::string sender = "fe80::1%eth0";
  e.sender = &sender;
  e.kind = LineKind::trace;
  e.text = "1.000000 cpu0 a\"b[1/2] <- f\\g return=0";
  append_json_line(e, &out);
  CHECK(out.find("\"sender\":\"fe80::1%eth0\"") != std::string::npos);
  CHECK(out.find("\"time\":1.0,\"cpu\":0,\"comm\":\"a\\\"b\",\"pid\":1,\"tid\":2,\"mark\":\"<-\","
                 "\"function\":\"f\\\\g\"") != std::string::npos);
}

TEST_CASE("json lines survive odd numbers: leading zeros, huge values") {
  std::string sender = "h", session = "s", out;
  LineEvent e;
  e.sender = &sender;
  e.session = &session;
  e.kind = LineKind::trace;
  e.text = "06.000001 cpu99999999999999999999 ls[99999999999999999999/1] -> f";
  append_json_line(e, &out);  // found by the fuzzer: used to throw from the JSON parser
  CHECK(out.find("\"time\":6.000001,\"cpu\":null,\"comm\":\"ls\",\"pid\":null,\"tid\":1") !=
        std::string::npos);
  out.clear();
  e.text = "1234567890123.000001 cpu0 x[1/1] -> f";
  append_json_line(e, &out);
  CHECK(out.find("\"time\":null") != std::string::npos);
  out.clear();
  e.kind = LineKind::netconsole;
  e.text = "[00012.345678] hello";
  append_json_line(e, &out);
  CHECK(out.find("\"time\":12.345678") != std::string::npos);
}

TEST_CASE(
    "received text that would read as a note is marked; only stap-logd's notes begin with the "
    "prefix") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/1 -- stap-logd: lost 99 lines (cpu 0, seq 2..100)");
  f.send("-- stap-logd: lost 5 lines\n");
  f.send("-- stap-logdx\n");
  f.send(" -- stap-logd: indented is not a note\n");
  CHECK(f.session() == std::string(kClearNote) +
                           "\\x2d- stap-logd: lost 99 lines (cpu 0, seq 2..100)\n"
                           "\\x2d- stap-logd: lost 5 lines\n"
                           "\\x2d- stap-logdx\n"
                           " -- stap-logd: indented is not a note\n");
  CHECK(f.followed[1] == "\\x2d- stap-logd: lost 99 lines (cpu 0, seq 2..100)");
  CHECK(f.rx.stats().lost_lines == 0);
}

TEST_CASE("bidi controls from the wire are escaped in the session") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/1 a\u202eb\u2066c");
  CHECK(f.session() == std::string(kClearNote) + "a\\xe2\\x80\\xaeb\\xe2\\x81\\xa6c\n");
}

TEST_CASE("a sequence number absurdly far ahead is a restart note, not a count of lost lines") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 1 1/1 one");
  f.send("SA1 0 9999999999999999999 1/1 x");  // the issue's datagram: it wrote "lost
                                              // 9999999999999999798 lines"
  f.send("SA1 0 1234567890123456789 1/1 y");  // far behind: a restart too, followed without a note
  f.send("SA1 0 1234567890123456790 1/1 z");
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.session() == std::string(kClearNote) +
                           "one\n-- stap-logd: sequence jump (cpu 0, seq 2 to "
                           "9999999999999999999): more than 16777216 "
                           "ahead, taken as a restart without a clear; the lines between are not "
                           "counted\nx\ny\nz\n");
  CHECK(f.rx.stats().lost_lines == 0);
  CHECK(f.rx.stats().jumps == 1);
}

TEST_CASE("a gap within kMaxGap is still counted") {
  Fixture f;
  f.send("SA1 0 0 1/1 ===CLEAR===");
  f.send("SA1 0 " + std::to_string(kMaxGap + 1) + " 1/1 far");
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.rx.stats().lost_lines == kMaxGap);
}

namespace {

struct LimitedFixture : Fixture {
  ReceiverLimits limits;
  std::unique_ptr<Receiver> r;
  explicit LimitedFixture(ReceiverLimits l)
      : limits(l), r(std::make_unique<Receiver>(store, LineSink(), l)) {}
  void send(std::string_view d, const std::string& sender, Steady at = {}) {
    r->on_datagram(sender, d, at == Steady{} ? t0 : at);
  }
};

}  // namespace

TEST_CASE(
    "past --max-senders the least recently heard from is forgotten with a note; it comes back in a "
    "new session") {
  ReceiverLimits l;
  l.max_senders = 2;
  LimitedFixture f(l);
  f.send("SA1 0 0 1/1 ===CLEAR===", "10.0.0.1");
  f.send("SA1 0 1 1/1 a1", "10.0.0.1");
  f.send("SA1 0 0 1/1 ===CLEAR===", "10.0.0.2");
  std::string first = f.store.session_of("10.0.0.1");
  f.send("SA1 0 0 1/1 ===CLEAR===", "10.0.0.3");
  CHECK(f.r->senders() == 2);
  CHECK_FALSE(f.store.has_session("10.0.0.1"));
  f.store.flush();
  CHECK(f.fs.read("/s/" + first) ==
        "-- stap-logd: session from 10.0.0.1 started by ===CLEAR===\na1\n"
        "-- stap-logd: session closed: more than 2 senders at once (--max-senders); the next "
        "datagram from "
        "10.0.0.1 starts a new session\n");
  f.send("SA1 0 2 1/1 a2", "10.0.0.1");
  CHECK(f.session("10.0.0.1") ==
        "-- stap-logd: session from 10.0.0.1 started by its first datagram (no ===CLEAR=== "
        "seen)\na2\n");
  CHECK(f.r->stats().evictions == 2);  // 10.0.0.1, then 10.0.0.2 to make room for it again
}

TEST_CASE(
    "past --max-cpus a sender's least recently heard from CPUs are forgotten, with what they "
    "held") {
  ReceiverLimits l;
  l.max_cpus = 16;
  LimitedFixture f(l);
  f.send("SA1 0 0 1/1 ===CLEAR===", "h");
  f.send("SA1 0 2 1/1 cpu0 two", "h");  // held: seq 1 is missing
  for (unsigned cpu = 1; cpu < 1000; ++cpu) f.send("SA1 " + std::to_string(cpu) + " 1 1/1 x", "h");
  CHECK(f.r->cpus("h") <= 16);
  std::string s = f.session("h");
  CHECK(s.find("-- stap-logd: lost 1 line (cpu 0, seq 1..1)\ncpu0 two\n") != std::string::npos);
  CHECK(s.find("-- stap-logd: forgot 1 cpu, the least recently heard from: more than 16 cpus from "
               "one sender "
               "(--max-cpus); a forgotten cpu's next line starts its sequence again\n") !=
        std::string::npos);
  CHECK(f.r->held_lines() == 0);
}

TEST_CASE("past --max-held-lines everything held is written at once, with a note of why") {
  ReceiverLimits l;
  l.max_held_lines = 10;
  LimitedFixture f(l);
  f.send("SA1 0 0 1/1 ===CLEAR===", "h");
  for (unsigned cpu = 0; cpu < 10; ++cpu) f.send("SA1 " + std::to_string(cpu) + " 2 1/1 held", "h");
  CHECK(f.r->held_lines() == 10);
  f.send("SA1 10 2 1/1 held", "h");
  CHECK(f.r->held_lines() == 0);
  std::string s = f.session("h");
  CHECK(s.find("-- stap-logd: stopped waiting for late datagrams: 11 lines") != std::string::npos);
  CHECK(f.r->stats().lost_lines == 11);
}

TEST_CASE("held bytes count the bookkeeping: 64-part lines of one byte cannot pass under the cap") {
  ReceiverLimits l;
  l.max_held_bytes = 1 << 16;
  LimitedFixture f(l);
  f.send("SA1 0 0 1/1 ===CLEAR===", "h");
  for (int seq = 1; seq <= 300; ++seq) f.send("SA1 0 " + std::to_string(seq) + " 1/64 x", "h");
  CHECK(f.r->held_bytes() <= (1u << 16));
  CHECK(f.session("h").find("stopped waiting for late datagrams") != std::string::npos);
}

TEST_CASE(
    "past --max-reassembly netconsole messages are written incomplete, and memory is bounded") {
  ReceiverLimits l;
  l.max_reassembly_bytes = 1 << 17;  // one message of 64 KiB so far fits, not two
  LimitedFixture f(l);
  std::string far = "6,5,1000000,-,ncfrag=65533/65536;xyz";
  for (int i = 0; i < 20; ++i) {
    f.send("6,5,1000000,-,ncfrag=0/65536;abc", "10.0.0." + std::to_string(i));
    f.send(far, "10.0.0." + std::to_string(i));  // the buffer reaches to the furthest fragment
  }
  CHECK(f.r->reassembly_bytes() <= (1u << 17));
  std::string s = f.session("10.0.0.0");
  CHECK(s.find("-- stap-logd: stopped putting messages together") != std::string::npos);
  CHECK(s.find("-- stap-logd: incomplete netconsole message (seq 5, 6 of 65536 bytes arrived, "
               "--max-reassembly)\n"
               "[    1.000000] abc[65530 bytes lost]xyz\n") != std::string::npos);
  LimitedFixture g(l);  // a fragment that announces 64 KiB and brings 3 bytes costs 3 bytes
  g.send("6,5,1000000,-,ncfrag=0/65536;abc", "h");
  CHECK(g.r->reassembly_bytes() < 16);
}

TEST_CASE("tick visits only the senders that hold something") {
  Fixture f;
  for (int i = 0; i < 1000; ++i) f.send("SA1 0 1 1/1 x", "10.0.0." + std::to_string(i));
  CHECK(f.rx.waiting() == 0);
  f.send("SA1 0 3 1/1 held", "10.0.0.7");
  f.send("partial", "10.0.0.8");
  CHECK(f.rx.waiting() == 2);
  f.rx.tick(f.t0 + kHoldTimeout);
  CHECK(f.rx.waiting() == 0);
}
