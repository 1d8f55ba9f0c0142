// SPDX-License-Identifier: GPL-2.0-or-later
// The session store against the in-memory file system: names, links, buffering, retention, disk
// full.
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>

#include "session_store.h"

using namespace sa::logd;
using namespace std::chrono;

namespace {

// A clock that the test moves by hand.
struct TestClock {
  system_clock::time_point now =
      system_clock::time_point(seconds(1795752000));  // 2026-11-27 04:00:00 UTC
  WallClock fn() {
    return [this] { return now; };
  }
};

struct Fixture {
  MemFileSystem fs;
  TestClock clock;
  SessionStore store{fs, StoreOptions{"/s", Retention{}, 64u << 20, clock.fn()}};
  Fixture() {
    sa::Diag err;
    REQUIRE(store.open(&err));
  }
};

}  // namespace

TEST_CASE("session file names sort by start time and carry the sender") {
  auto t = system_clock::time_point(seconds(1795752000)) + microseconds(123456);
  CHECK(session_file_name(t, "10.0.2.15") == "20261127-040000.123456_10.0.2.15.log");
  CHECK(session_file_name(t, "fe80::1") == "20261127-040000.123456_fe80--1.log");
  CHECK(is_session_file_name("20261127-040000.123456_10.0.2.15.log"));
  CHECK(is_session_file_name("20261127-040000.123456_fe80--1.log"));
  CHECK_FALSE(is_session_file_name("current"));
  CHECK_FALSE(is_session_file_name("20261127-040000.123456_.log"));
  CHECK_FALSE(is_session_file_name("notes.log"));
}

TEST_CASE("a session is a file, and current and current-ADDR point at it") {
  Fixture f;
  std::string name = f.store.start_session("10.0.2.15");
  CHECK(name == "20261127-040000.000000_10.0.2.15.log");
  f.store.append("10.0.2.15", "one");
  f.store.append("10.0.2.15", "two");
  CHECK(f.fs.read("/s/" + name).empty());  // buffered until flush
  CHECK(f.store.flush() == 0);
  CHECK(f.fs.read("/s/" + name) == "one\ntwo\n");
  CHECK(f.fs.symlinks["/s/current"] == name);
  CHECK(f.fs.symlinks["/s/current-10.0.2.15"] == name);
}

TEST_CASE("a new session never overwrites an old one, even in the same microsecond") {
  Fixture f;
  std::string a = f.store.start_session("h");
  std::string b = f.store.start_session("h");
  CHECK(a != b);
  CHECK(a < b);
  CHECK(f.fs.files.size() == 2);
  CHECK(f.fs.symlinks["/s/current"] == b);
}

TEST_CASE("a file left by another process with the same name is not overwritten") {
  Fixture f;
  f.fs.files["/s/20261127-040000.000000_h.log"] = std::make_shared<std::string>("theirs\n");
  std::string name = f.store.start_session("h");
  CHECK(name == "20261127-040000.000001_h.log");
  CHECK(f.fs.read("/s/20261127-040000.000000_h.log") == "theirs\n");
}

TEST_CASE("two senders have their own sessions and links; current is the newest") {
  Fixture f;
  std::string a = f.store.start_session("127.0.0.1");
  f.clock.now += seconds(1);
  std::string b = f.store.start_session("127.0.0.2");
  f.store.append("127.0.0.1", "from a");
  f.store.append("127.0.0.2", "from b");
  f.store.flush();
  CHECK(f.fs.read("/s/" + a) == "from a\n");
  CHECK(f.fs.read("/s/" + b) == "from b\n");
  CHECK(f.fs.symlinks["/s/current-127.0.0.1"] == a);
  CHECK(f.fs.symlinks["/s/current-127.0.0.2"] == b);
  CHECK(f.fs.symlinks["/s/current"] == b);
}

TEST_CASE("an unwritable folder is exit 73") {
  MemFileSystem fs;
  fs.dirs["/ro"] = true;
  fs.read_only_dirs["/ro"] = true;
  SessionStore store(fs, StoreOptions{"/ro", {}, 1 << 20, {}});
  sa::Diag err;
  CHECK_FALSE(store.open(&err));
  CHECK(err.exit == sa::Exit::cant_create);
  CHECK(err.message == "cannot write session folder /ro: Permission denied");
}

TEST_CASE("disk full: reported once, kept in memory, written when space returns") {
  Fixture f;
  std::string name = f.store.start_session("h");
  f.fs.capacity = 4;
  f.store.append("h", "abc");
  f.store.append("h", "defgh");
  CHECK(f.store.flush() == 6);  // "abc\n" fit, the rest waits
  f.store.append("h", "ij");
  f.store.flush();
  auto events = f.store.take_events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].severity == sa::Severity::warning);
  CHECK(events[0].message == "cannot write session /s/" + name + ": No space left on device");
  f.fs.capacity = UINT64_MAX;
  CHECK(f.store.flush() == 0);
  CHECK(f.fs.read("/s/" + name) == "abc\ndefgh\nij\n");
  events = f.store.take_events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].message == "writing sessions again; 0 lines were dropped while writes failed");
}

TEST_CASE("past the buffer cap lines are dropped and counted") {
  MemFileSystem fs;
  TestClock clock;
  SessionStore store(fs, StoreOptions{"/s", {}, 10, clock.fn()});
  sa::Diag err;
  REQUIRE(store.open(&err));
  store.start_session("h");
  fs.capacity = 0;
  store.append("h", "12345");       // 6 bytes
  store.append("h", "12345");       // would be 12 > 10
  CHECK(store.stats().lines == 0);  // nothing reached the file
  CHECK(store.stats().dropped_lines == 1);
}

// Counts the lines of a session file.
uint64_t lines_in(const std::string& text) {
  return static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_CASE(
    "disk full past the buffer cap: a note of the dropped lines at the gap, once space returns") {
  MemFileSystem fs;
  TestClock clock;
  SessionStore store(fs, StoreOptions{"/s", {}, 12, clock.fn()});
  sa::Diag err;
  REQUIRE(store.open(&err));
  std::string name = store.start_session("h");
  fs.capacity = 3;
  for (const char* l : {"l1", "l2", "l3", "l4", "l5", "l6", "l7"}) {
    store.append("h", l);
    store.flush();
  }
  // l1 reached the file; l2..l5 wait in the 12-byte buffer; l6 and l7 did not fit.
  CHECK(fs.read("/s/" + name) == "l1\n");
  CHECK(store.stats().lines == 1);
  CHECK(store.stats().dropped_lines == 2);
  fs.capacity = UINT64_MAX;
  store.flush();
  store.append("h", "l8");
  store.flush();
  CHECK(fs.read("/s/" + name) ==
        "l1\nl2\nl3\nl4\nl5\n-- stap-logd: lost 2 lines (not written: No space left on "
        "device)\nl8\n");
  CHECK(store.stats().lines == 7);  // the note is a line too
  CHECK_FALSE(store.finish());      // lines were dropped in this run
  CHECK(store.stats().lines == 7);
}

TEST_CASE("the note of dropped lines is written even when nothing follows them") {
  MemFileSystem fs;
  TestClock clock;
  SessionStore store(fs, StoreOptions{"/s", {}, 8, clock.fn()});
  sa::Diag err;
  REQUIRE(store.open(&err));
  std::string name = store.start_session("h");
  fs.capacity = 0;
  for (const char* l : {"l1", "l2", "l3", "l4"}) {
    store.append("h", l);
    store.flush();
  }
  fs.capacity = UINT64_MAX;
  store.flush();
  store.flush();
  CHECK(fs.read("/s/" + name) ==
        "l1\nl2\n-- stap-logd: lost 2 lines (not written: No space left on device)\n");
}

TEST_CASE("shutdown with the disk full: lines counted exactly as they reached the file") {
  Fixture f;
  std::string name = f.store.start_session("h");
  f.store.append("h", "one");
  f.store.flush();
  f.fs.capacity = f.fs.used() + 6;  // "two\n" and "th" fit: a line cut by the full disk
  for (const char* l : {"two", "three", "four"}) f.store.append("h", l);
  f.store.flush();
  CHECK_FALSE(f.store.finish());
  std::string file = f.fs.read("/s/" + name);
  CHECK(file == "one\ntwo\nth");
  CHECK(f.store.stats().lines == lines_in(file));
  CHECK(f.store.stats().dropped_lines == 2);
  f.store.take_events();
  f.fs.capacity = UINT64_MAX;  // had there been room for the note, it would end the cut line
  Fixture g;
  name = g.store.start_session("h");
  g.fs.capacity = 2;
  g.store.append("h", "abcdef");
  g.store.flush();
  g.fs.capacity = UINT64_MAX;
  g.store.append("h", "x");  // buffered, never flushed before finish: finish flushes it
  CHECK(g.store.finish());
  CHECK(g.fs.read("/s/" + name) == "abcdef\nx\n");
}

TEST_CASE(
    "a session whose new session could not take its unwritten lines says so in the next one") {
  Fixture f;
  std::string first = f.store.start_session("h");
  f.fs.capacity = 0;
  f.store.append("h", "stuck");
  f.store.flush();
  f.fs.read_only_dirs["/s"] = true;  // the next session cannot be created either
  CHECK(f.store.start_session("h") == "");
  f.fs.read_only_dirs.clear();
  f.fs.capacity = UINT64_MAX;
  std::string third = f.store.start_session("h");
  f.store.flush();
  CHECK(f.fs.read("/s/" + third) ==
        "-- stap-logd: lost 1 line (not written: No space left on device, at the end of the "
        "previous session " +
            first + ")\n");
}

TEST_CASE(
    "a session file removed while open: its lines count as lost, and the file is made again with a "
    "note") {
  Fixture f;
  std::string name = f.store.start_session("h");
  f.store.append("h", "kept");
  f.store.flush();
  f.fs.remove("/s/" + name);
  f.store.append("h", "gone 1");
  f.store.append("h", "gone 2");
  f.store.flush();  // written to the removed file: noticed after the write
  f.store.append("h", "after");
  f.store.flush();
  CHECK(f.fs.read("/s/" + name) ==
        "-- stap-logd: lost 2 lines (written to the session file after it was removed)\nafter\n");
  CHECK(f.store.stats().lines == 3);  // "kept" reached the disk (and was removed by someone else)
  CHECK(f.store.stats().dropped_lines == 2);
  auto events = f.store.take_events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].message ==
        "session /s/" + name +
            " was removed while open: 2 lines written to it are lost; created it again");
}

TEST_CASE(
    "the session folder removed while open: lines are dropped and counted, reopen fails and says "
    "so") {
  Fixture f;
  std::string name = f.store.start_session("h");
  f.fs.remove("/s/" + name);
  f.fs.dirs.erase("/s");
  f.store.append("h", "a");
  f.store.flush();
  f.store.append("h", "b");
  f.store.flush();
  CHECK(f.store.stats().lines == 0);
  CHECK(f.store.stats().dropped_lines == 2);
  CHECK(f.store.reopen() == 1);
  CHECK_FALSE(f.store.finish());
}

TEST_CASE("retention keeps the newest N sessions and never an open one") {
  MemFileSystem fs;
  TestClock clock;
  SessionStore store(fs, StoreOptions{"/s", Retention{2, 0}, 1 << 20, clock.fn()});
  sa::Diag err;
  REQUIRE(store.open(&err));
  fs.files["/s/unrelated.txt"] = std::make_shared<std::string>("mine");
  std::vector<std::string> names;
  for (int i = 0; i < 4; ++i) {
    clock.now += seconds(1);
    names.push_back(store.start_session("h" + std::to_string(i % 2)));
  }
  // h0 and h1 each have an open session (names[2], names[3]); the two oldest are gone.
  CHECK(fs.files.count("/s/" + names[0]) == 0);
  CHECK(fs.files.count("/s/" + names[1]) == 0);
  CHECK(fs.files.count("/s/" + names[2]) == 1);
  CHECK(fs.files.count("/s/" + names[3]) == 1);
  CHECK(fs.files.count("/s/unrelated.txt") == 1);
  CHECK(store.stats().removed_sessions == 2);
}

TEST_CASE("retention by bytes removes the oldest first") {
  MemFileSystem fs;
  TestClock clock;
  SessionStore store(fs, StoreOptions{"/s", Retention{0, 10}, 1 << 20, clock.fn()});
  sa::Diag err;
  REQUIRE(store.open(&err));
  std::string a = store.start_session("h");
  store.append("h", "123456");
  clock.now += seconds(1);
  std::string b = store.start_session("h");  // flushes a (7 bytes), 7 <= 10: kept
  store.append("h", "123456");
  store.flush();
  CHECK(fs.files.count("/s/" + a) == 1);
  store.enforce_retention();  // 14 > 10: the oldest goes, the open one stays
  CHECK(fs.files.count("/s/" + a) == 0);
  CHECK(fs.files.count("/s/" + b) == 1);
}

TEST_CASE("reopen: after logrotate moved a session, writing goes to a new file of the same name") {
  Fixture f;
  std::string name = f.store.start_session("h");
  f.store.append("h", "before");
  f.store.flush();
  f.fs.rename_file("/s/" + name, "/s/" + name + ".1");
  f.store.append("h", "still old");  // buffered: written to the moved file by reopen's flush
  f.store.reopen();
  f.store.append("h", "after");
  f.store.flush();
  CHECK(f.fs.read("/s/" + name + ".1") == "before\nstill old\n");
  CHECK(f.fs.read("/s/" + name) == "after\n");
}

TEST_CASE("--keep syntax") {
  Retention r;
  std::string err;
  CHECK(parse_keep("20", &r, &err));
  CHECK(r.max_sessions == 20);
  CHECK(parse_keep("100M", &r, &err));
  CHECK(r.max_bytes == 100ull << 20);
  CHECK(parse_keep("5,1GiB", &r, &err));
  CHECK(r.max_sessions == 5);
  CHECK(r.max_bytes == 1ull << 30);
  CHECK(parse_keep("4096B", &r, &err));
  CHECK(r.max_bytes == 4096);
  CHECK(parse_keep("2k", &r, &err));
  CHECK(r.max_bytes == 2048);
  CHECK_FALSE(parse_keep("0", &r, &err));
  CHECK_FALSE(parse_keep("10X", &r, &err));
  CHECK(err == "bad --keep value '10X': unknown unit 'X'");
  CHECK_FALSE(parse_keep("", &r, &err));
  CHECK_FALSE(parse_keep("M", &r, &err));
  CHECK_FALSE(parse_keep("5,", &r, &err));
}

TEST_CASE("a session that cannot be created is reported; its lines are dropped and counted") {
  Fixture f;
  f.fs.read_only_dirs["/s"] = true;
  CHECK(f.store.start_session("h") == "");
  f.store.append("h", "nowhere");
  CHECK(f.store.stats().dropped_lines == 1);
  auto events = f.store.take_events();
  REQUIRE(events.size() == 1);
  CHECK(sa::format_diag("stap-logd", events[0]) ==
        "stap-logd: warning: cannot create session /s/20261127-040000.000000_h.log: Permission "
        "denied\n"
        "stap-logd: note: lines from h are dropped and counted until its next ===CLEAR===\n");
  f.fs.read_only_dirs.clear();
  CHECK(f.store.start_session("h") != "");
}
