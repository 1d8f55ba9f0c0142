// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the whole receive path from datagram to session bytes. Arbitrary datagrams from
// four senders go through the parser, the receiver (with small caps, so that evictions and forced
// releases happen), the session store's write path on the in-memory file system (whose disk the
// input can fill and empty again) and the --json formatter. Besides crashes, leaks and sanitizer
// reports it checks the promises that matter most:
//   - nothing written to a session or to stdout carries a control character other than TAB (and the
//     '\n' that ends each line);
//   - no received line begins like a note: only stap-logd's own notes begin with "-- stap-logd";
//   - the store's count of lines written is exactly the number of lines in the files;
//   - memory stays within the caps (the fuzz run adds -rss_limit_mb / -malloc_limit_mb).
//
// Input layout: one byte C of configuration (disk capacity), then repeated: one byte L, one byte S,
// then min(L, rest) bytes of datagram from sender S % 4. L == 255 instead advances the clock by S
// milliseconds (timeouts of raw tails and partial lines); L == 254 sets the free disk space to S *
// 16 bytes (0: unlimited). Built by tools/stap-logd/fuzz/build.sh with clang's -fsanitize=fuzzer.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "line_format.h"
#include "log_protocol.h"
#include "receiver.h"

namespace {

// Not inlined: coverage-ignore.txt leaves this check without coverage hooks by its name.
__attribute__((noinline)) void check_clean(std::string_view text) {
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\t') || c == 0x7f) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sa::logd;
  if (size == 0) return 0;
  MemFileSystem fs;
  SessionStore store(fs, StoreOptions{"/s", Retention{}, 1 << 12,
                                      [] { return std::chrono::system_clock::time_point{}; }});
  sa::Diag err;
  if (!store.open(&err)) std::abort();
  if (data[0] & 1) fs.capacity = data[0] * 8u;
  ReceiverLimits limits;
  limits.max_senders = 3;
  limits.max_cpus = 4;
  limits.max_held_lines = 64;
  limits.max_held_bytes = 1 << 16;
  limits.max_reassembly_bytes = 1 << 17;
  std::string json;
  Receiver rx(
      store,
      [&](const LineEvent& e) {
        check_clean(e.text);
        if (e.kind != LineKind::note && e.text.substr(0, 12) == "-- stap-logd") std::abort();
        if (e.kind == LineKind::note &&
            e.text.substr(0, sa::logproto::kNotePrefix.size()) != sa::logproto::kNotePrefix)
          std::abort();
        json.clear();
        append_json_line(e, &json);
      },
      limits);
  static const std::string senders[4] = {"10.0.2.15", "127.0.0.2", "fe80::1", "127.0.0.3"};
  Steady now{};
  size_t i = 1;
  while (i + 2 <= size) {
    size_t len = data[i];
    uint8_t s = data[i + 1];
    i += 2;
    if (len == 255) {
      now += std::chrono::milliseconds(s);
      rx.tick(now);
      store.flush();
      continue;
    }
    if (len == 254) {
      fs.capacity = s == 0 ? UINT64_MAX : fs.used() + s * 16u;
      continue;
    }
    if (len > size - i) len = size - i;
    std::string_view d(reinterpret_cast<const char*>(data + i), len);
    i += len;
    (void)sa::logproto::parse_datagram(d);
    rx.on_datagram(senders[s % 4], d, now);
    if (rx.held_lines() > limits.max_held_lines || rx.held_bytes() > limits.max_held_bytes ||
        rx.reassembly_bytes() > limits.max_reassembly_bytes || rx.senders() > limits.max_senders)
      std::abort();
  }
  rx.finish();
  store.finish();
  uint64_t lines = 0;
  for (const auto& [path, content] : fs.files) {
    std::string_view c = *content;
    lines += static_cast<uint64_t>(std::count(c.begin(), c.end(), '\n'));
    size_t start = 0;
    for (size_t nl = c.find('\n'); nl != std::string_view::npos; nl = c.find('\n', start)) {
      check_clean(c.substr(start, nl - start));
      start = nl + 1;
    }
    check_clean(c.substr(start));  // a line cut by the full disk
  }
  if (lines != store.stats().lines) std::abort();
  return 0;
}
