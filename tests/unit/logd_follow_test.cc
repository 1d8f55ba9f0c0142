// SPDX-License-Identifier: GPL-2.0-or-later
// Follow output on its own thread: a slow reader misses lines (and is told), a gone one is an
// error.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "daemon.h"
#include "follow_writer.h"

using namespace sa::logd;
using namespace std::chrono;

namespace {

struct Pipe {
  int fd[2];
  Pipe() {
    REQUIRE(::pipe2(fd, O_CLOEXEC) == 0);
    REQUIRE(::fcntl(fd[1], F_SETPIPE_SZ, 4096) >= 0);
  }
  ~Pipe() {
    if (fd[0] >= 0) ::close(fd[0]);
    ::close(fd[1]);
  }
  // Reads what is there until `want` bytes came or 2 s passed.
  std::string read_all(size_t want) {
    std::string out;
    char buf[4096];
    auto until = steady_clock::now() + seconds(2);
    ::fcntl(fd[0], F_SETFL, O_NONBLOCK);
    while (out.size() < want && steady_clock::now() < until) {
      ssize_t n = ::read(fd[0], buf, sizeof buf);
      if (n > 0)
        out.append(buf, static_cast<size_t>(n));
      else
        ::usleep(1000);
    }
    return out;
  }
};

std::string note(uint64_t n) { return "missed " + std::to_string(n) + "\n"; }

}  // namespace

TEST_CASE("a reader that does not read never blocks push; it is told how many lines it missed") {
  Pipe p;
  FollowWriter w(p.fd[1], 8192, note);
  std::string line(99, 'x');
  line += '\n';
  auto start = steady_clock::now();
  for (int i = 0; i < 1000; ++i) w.push(line);  // 100 KB into a 4 KiB pipe and an 8 KiB buffer
  CHECK(steady_clock::now() - start < seconds(1));
  uint64_t missed = w.missed();
  CHECK(missed > 800);
  CHECK(missed < 1000);
  // The note may follow the kept lines as soon as the pipe has room, before "after" is pushed: read
  // what is there, then the rest, and compare the whole.
  std::string want;
  for (uint64_t i = 0; i < 1000 - missed; ++i) want += line;
  want += note(missed) + "after\n";
  std::string got = p.read_all((1000 - missed) * 100);
  w.push("after\n");
  CHECK(w.drain(seconds(2)));
  if (got.size() < want.size()) got += p.read_all(want.size() - got.size());
  CHECK(got == want);
}

TEST_CASE("a reader that went away is EPIPE, not a SIGPIPE death") {
  Pipe p;
  FollowWriter w(p.fd[1], 8192, note);
  ::close(p.fd[0]);
  p.fd[0] = -1;
  w.push("line\n");
  w.drain(seconds(2));
  CHECK(w.error() == EPIPE);
}

TEST_CASE("the missed-lines note is a JSON object for --json") {
  CHECK(missed_follow_note(Follow::text, 3) ==
        "-- stap-logd: follow output skipped 3 lines (its reader was slower than the senders; the "
        "session files "
        "have them)\n");
  CHECK(missed_follow_note(Follow::json, 1) ==
        "{\"format\":1,\"sender\":null,\"session\":null,\"kind\":\"note\",\"seq\":null,\"time\":"
        "null,\"cpu\":"
        "null,\"comm\":null,"
        "\"pid\":null,\"tid\":null,\"mark\":null,\"function\":null,\"text\":\"-- stap-logd: follow "
        "output skipped 1 "
        "line (its reader was slower than the senders; the session files have them)\"}\n");
}
