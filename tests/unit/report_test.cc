// SPDX-License-Identifier: GPL-2.0-or-later
// stap-report's pairing, error chains, diff and histogram, on hand-written sessions.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "diff.h"
#include "error_chains.h"
#include "histogram.h"
#include "pairer.h"
#include "summary.h"

using namespace sa::report;

namespace {

// Records every pairing event as text: "call f", "ret f 12us", "abandon f", "unmatched f".
struct Recorder : Listener {
  const Pairer* p = nullptr;
  std::vector<std::string> events;
  std::string name(uint32_t fn) const { return p->functions()[fn]; }
  void on_call(const Task& t, uint32_t fn, const TraceLine&, uint64_t) override {
    events.push_back(std::to_string(t.tid) + " call " + name(fn));
  }
  void on_return(const Task& t, uint32_t fn, const TraceLine&, uint64_t, uint64_t us) override {
    events.push_back(std::to_string(t.tid) + " ret " + name(fn) + " " + std::to_string(us) + "us");
  }
  void on_abandon(const Task& t, uint32_t fn, uint64_t) override {
    events.push_back(std::to_string(t.tid) + " abandon " + name(fn));
  }
  void on_unmatched_return(const Task& t, uint32_t fn, const TraceLine&, uint64_t) override {
    events.push_back(std::to_string(t.tid) + " unmatched " + name(fn));
  }
};

std::vector<std::string> pair(const std::string& session, Pairer* p = nullptr,
                              Listener* extra = nullptr) {
  Pairer local;
  if (!p) p = &local;
  Recorder r;
  r.p = p;
  p->add_listener(&r);
  if (extra) p->add_listener(extra);
  std::istringstream in(session);
  std::string line;
  uint64_t n = 0;
  while (std::getline(in, line)) p->line(line, ++n);
  p->finish();
  return r.events;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("nesting: inner calls close before outer ones, latencies from the times") {
  CHECK(pair("1.000000 cpu0 a[1/1] -> f@x.c:1\n"
             "1.000002 cpu0 a[1/1]   -> g@x.c:2\n"
             "1.000005 cpu0 a[1/1]   <- g return=1\n"
             "1.000009 cpu0 a[1/1] <- f\n") ==
        V{"1 call f", "1 call g", "1 ret g 3us", "1 ret f 9us"});
}

TEST_CASE("recursion: each return closes the innermost call of its function") {
  CHECK(pair("1.000000 cpu0 a[1/1] -> f@x.c:1 n=2\n"
             "1.000001 cpu0 a[1/1]   -> f@x.c:1 n=1\n"
             "1.000003 cpu0 a[1/1]   <- f return=1\n"
             "1.000007 cpu0 a[1/1] <- f return=2\n") ==
        V{"1 call f", "1 call f", "1 ret f 2us", "1 ret f 7us"});
}

TEST_CASE("a system call's wrappers are one function, sys_NAME; other names are kept") {
  CHECK(pair("1.000000 cpu0 ls[7/7] -> __se_sys_getdents64@fs/readdir.c:354 fd=3\n"
             "1.000004 cpu0 ls[7/7] <- __x64_sys_getdents64 return=48\n"
             "1.000010 cpu0 ls[7/7] -> __do_compat_sys_x@x.c:1\n"
             "1.000012 cpu0 ls[7/7] <- __ia32_compat_sys_x return=0\n"
             "1.000020 cpu0 ls[7/7] -> __x64_sysfoo@x.c:2\n"
             "1.000021 cpu0 ls[7/7] <- __x64_sysfoo\n"
             "1.000030 cpu0 ls[7/7] -> __se_sys_@x.c:3\n"
             "1.000031 cpu0 ls[7/7] <- __se_sys_\n") ==
        V{"7 call sys_getdents64", "7 ret sys_getdents64 4us", "7 call compat_sys_x",
          "7 ret compat_sys_x 2us", "7 call __x64_sysfoo", "7 ret __x64_sysfoo 1us",
          "7 call __se_sys_", "7 ret __se_sys_ 1us"});
}

TEST_CASE("lost lines: a return closes its call at its depth and abandons the calls above it") {
  Pairer p;
  CHECK(pair("1.000000 cpu0 a[1/1] -> f@x.c:1\n"
             "1.000001 cpu0 a[1/1]   -> g@x.c:2\n"
             "1.000002 cpu0 a[1/1]     -> h@x.c:3\n"
             "-- stap-logd: lost 2 lines (cpu 0, seq 4..5)\n"
             "1.000010 cpu0 a[1/1] <- f return=0\n",
             &p) ==
        V{"1 call f", "1 call g", "1 call h", "1 abandon h", "1 abandon g", "1 ret f 10us"});
  CHECK(p.counts().lost == 2);
  CHECK(p.counts().lines == 5);
}

TEST_CASE("lost lines in a recursion: the depth picks the right call, not the innermost") {
  // The inner f's return was lost; the outer f's return (depth 0) must not close the inner one.
  CHECK(pair("1.000000 cpu0 a[1/1] -> f@x.c:1\n"
             "1.000001 cpu0 a[1/1]   -> f@x.c:1\n"
             "-- stap-logd: lost 1 line (cpu 0, seq 3..3)\n"
             "1.000010 cpu0 a[1/1] <- f return=0\n") ==
        V{"1 call f", "1 call f", "1 abandon f", "1 ret f 10us"});
}

TEST_CASE("unmatched at both ends: returns before any call, calls open at the end and at CLEAR") {
  CHECK(pair("1.000000 cpu0 a[1/1]   <- g return=1\n"
             "1.000001 cpu0 a[1/1] <- f return=1\n"
             "1.000002 cpu0 a[1/1] -> f@x.c:1\n"
             "===CLEAR===\n"
             "2.000000 cpu0 a[1/1] -> f@x.c:1\n"
             "2.000001 cpu0 a[1/1]   -> g@x.c:2\n") == V{"1 unmatched g", "1 unmatched f",
                                                         "1 call f", "1 abandon f", "1 call f",
                                                         "1 call g", "1 abandon g", "1 abandon f"});
}

TEST_CASE("CPU migration: a thread's call on one CPU pairs with its return on another") {
  Pairer p;
  CHECK(pair("1.000000 cpu0 a[1/2] -> f@x.c:1\n"
             "1.000004 cpu3 a[1/2] <- f return=0\n",
             &p) == V{"2 call f", "2 ret f 4us"});
  CHECK(p.counts().threads == 1);
  // Clocks of two CPUs: a return stamped before its call is 0 µs, not a huge number.
  CHECK(pair("1.000004 cpu0 a[1/2] -> f@x.c:1\n"
             "1.000000 cpu3 a[1/2] <- f return=0\n") == V{"2 call f", "2 ret f 0us"});
}

TEST_CASE("interleaved threads pair separately; tid 0 is one thread per CPU") {
  Pairer p;
  CHECK(pair("1.000000 cpu0 a[1/1] -> f@x.c:1\n"
             "1.000001 cpu1 b[2/2] -> f@x.c:1\n"
             "1.000002 cpu0 swapper/0[0/0] -> irq@x.c:9\n"
             "1.000003 cpu1 swapper/1[0/0] -> irq@x.c:9\n"
             "1.000004 cpu1 a[1/1] <- f return=1\n"
             "1.000005 cpu0 swapper/0[0/0] <- irq\n"
             "1.000009 cpu0 b[2/2] <- f return=2\n",
             &p) == V{"1 call f", "2 call f", "0 call irq", "0 call irq", "1 ret f 4us",
                      "0 ret irq 3us", "2 ret f 8us", "0 abandon irq"});
  CHECK(p.counts().threads == 4);
}

TEST_CASE("summary: calls, returns, unmatched, errors and latency per function") {
  Pairer p;
  Summary s;
  pair(
      "1.000000 cpu0 a[1/1] -> f@x.c:1\n"
      "1.000010 cpu0 a[1/1] <- f return=-22\n"
      "1.000020 cpu0 a[1/1] <- f return=0xffffffffffffffea\n"
      "1.000030 cpu0 a[1/1] -> f@x.c:1\n",
      &p, &s);
  const FunctionStats& f = s.stats()[0];
  CHECK(f.calls == 2);
  CHECK(f.returns == 2);
  CHECK(f.unmatched == 2);
  CHECK(f.errors == 2);
  CHECK(f.latency.count() == 1);
  CHECK(f.latency.max() == 10);
}

TEST_CASE("histogram: nearest rank, exact below 2048 µs, within 0.1 % above") {
  Histogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.add(v);
  CHECK(h.percentile(50) == 50);
  CHECK(h.percentile(90) == 90);
  CHECK(h.percentile(99) == 99);
  CHECK(h.percentile(100) == 100);
  Histogram one;
  one.add(7);
  CHECK(one.percentile(1) == 7);
  CHECK(one.percentile(99) == 7);
  Histogram big;
  std::vector<uint64_t> values;
  uint64_t x = 88172645463325252ull;  // xorshift: a fixed sequence, not a sample we tune on
  for (int i = 0; i < 10000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    values.push_back(x % 50'000'000);
    big.add(values.back());
  }
  std::sort(values.begin(), values.end());
  for (unsigned p : {50u, 90u, 99u}) {
    uint64_t exact = values[(p * values.size() + 99) / 100 - 1];
    uint64_t got = big.percentile(p);
    CHECK(got <= exact);
    CHECK(double(exact - got) <= exact / 1024.0);
  }
  CHECK(big.min() == values.front());
  CHECK(big.max() == values.back());
}

TEST_CASE(
    "error chains: the deepest first error is the origin, callers that pass it on are its chain") {
  Pairer p;
  ErrorChains e(p.functions());
  pair(
      "1.000000 cpu0 a[1/1] -> top@t.c:1 x=1\n"
      "1.000001 cpu0 a[1/1]   -> mid@m.c:2 y=2\n"
      "1.000002 cpu0 a[1/1]     -> leaf@l.c:3 z=3\n"
      "1.000003 cpu0 a[1/1]       :: leaf@l.c:4 err=-5\n"
      "1.000004 cpu0 a[1/1]     <- leaf return=-5\n"
      "1.000005 cpu0 a[1/1]     -> other@o.c:9\n"
      "1.000006 cpu0 a[1/1]     <- other return=-1\n"
      "1.000007 cpu0 a[1/1]   <- mid return=-1\n"
      "1.000008 cpu0 a[1/1] <- top return=-1\n"
      "1.000010 cpu0 a[1/1] -> top@t.c:1 x=2\n"
      "1.000011 cpu0 a[1/1]   -> mid@m.c:2 y=3\n"
      "1.000012 cpu0 a[1/1]   <- mid return=-7\n",
      &p, &e);
  // leaf's error was handed to mid and replaced by other's (mid passed that one on); the second mid
  // error was handed to a top that never returned.
  REQUIRE(e.groups().size() == 3);
  const auto& leaf = e.groups().at("leaf@l.c:3");
  CHECK(leaf.count == 1);
  CHECK(leaf.first.params == "z=3");
  CHECK(leaf.first.inner == std::vector<std::string>{"leaf@l.c:4 err=-5"});
  CHECK(leaf.chains.begin()->first == "leaf; handled by mid");
  const auto& other = e.groups().at("other@o.c:9");
  CHECK(other.chains.begin()->first == "other <- mid <- top");
  CHECK(other.values.begin()->first == "-1");
  const auto& mid = e.groups().at("mid@m.c:2");
  CHECK(mid.chains.begin()->first == "mid; top did not return");
  CHECK(e.total() == 3);
}

TEST_CASE("diff: the first differing step per comm; addresses are equal, errors are not") {
  Step call{true, "f", "", "@x.c:1", "", 1};
  Step r1{false, "f", "0xffff888000001000", "@x.c:1", "", 2};
  Step r2{false, "f", "0xffff888000002000", "@x.c:1", "", 2};
  Step e1{false, "f", "0xfffffffffffffffe", "@x.c:1", "", 2};
  Step e2{false, "f", "-2", "@x.c:1", "", 2};
  Step small{false, "f", "0x3", "@x.c:1", "", 2};
  CHECK(same_step(call, call));
  CHECK(same_step(r1, r2));
  CHECK_FALSE(same_step(r1, e1));
  CHECK_FALSE(same_step(e1, e2));  // another spelling is shown, not hidden
  CHECK_FALSE(same_step(small, r1));
  CHECK_FALSE(same_step(call, r1));

  Pairer a, b;
  Sequences seq;
  a.add_listener(&seq.side(0));
  b.add_listener(&seq.side(1));
  const char* old_lines[] = {
      "1.000000 cpu0 ls[1/1] -> f@x.c:1", "1.000000 cpu0 cat[2/2] -> g@x.c:2",
      "1.000001 cpu0 ls[1/1] <- f return=0", "1.000002 cpu0 cat[2/2] <- g return=0"};
  const char* new_lines[] = {
      "1.000000 cpu0 cat[7/7] -> g@x.c:2", "1.000000 cpu0 ls[8/8] -> f@x.c:1",
      "1.000001 cpu0 ls[8/8] <- f return=-12", "1.000002 cpu0 cat[7/7] <- g return=0"};
  for (int i = 0; i < 4; ++i) {
    a.line(old_lines[i], uint64_t(i + 1));
    b.line(new_lines[i], uint64_t(i + 1));
  }
  a.finish();
  b.finish();
  seq.finish();
  const auto& cat = seq.comms().at("cat");
  CHECK_FALSE(cat.divergence.has_value());
  CHECK(cat.matched == 2);
  const auto& ls = seq.comms().at("ls");
  REQUIRE(ls.divergence.has_value());
  CHECK(ls.divergence->step == 2);
  CHECK(ls.divergence->old_step->value == "0");
  CHECK(ls.divergence->new_step->value == "-12");
  CHECK(ls.divergence->new_step->line_no == 3);
}
