// libFuzzer target: arbitrary datagrams from a few senders through the parser, the receiver, the
// session store (in memory) and the --json formatter. Besides crashes and sanitizer reports it checks
// the promise that matters most: nothing written to a session or to stdout carries a control
// character other than TAB (and the '\n' that ends each line).
//
// Input layout, repeated: one byte L, one byte S, then min(L, rest) bytes of datagram from sender
// S % 3. L == 255 instead advances the clock by S milliseconds (timeouts of raw tails and partial
// lines). Built by tools/stap-logd/fuzz/build.sh with clang's -fsanitize=fuzzer.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "line_format.h"
#include "log_protocol.h"
#include "receiver.h"

namespace {

void check_clean(std::string_view text) {
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\t') || c == 0x7f) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sa::logd;
  MemFileSystem fs;
  SessionStore store(fs, StoreOptions{"/s", Retention{3, 4096}, 1 << 16,
                                      [] { return std::chrono::system_clock::time_point{}; }});
  sa::Diag err;
  if (!store.open(&err)) std::abort();
  std::string json;
  Receiver rx(store, [&](const LineEvent& e) {
    check_clean(e.text);
    json.clear();
    append_json_line(e, &json);
  });
  static const std::string senders[3] = {"10.0.2.15", "127.0.0.2", "fe80::1"};
  Steady now{};
  size_t i = 0;
  while (i + 2 <= size) {
    size_t len = data[i];
    uint8_t s = data[i + 1];
    i += 2;
    if (len == 255) {
      now += std::chrono::milliseconds(s);
      rx.tick(now);
      continue;
    }
    if (len > size - i) len = size - i;
    std::string_view d(reinterpret_cast<const char*>(data + i), len);
    i += len;
    (void)sa::logproto::parse_datagram(d);
    rx.on_datagram(senders[s % 3], d, now);
  }
  rx.finish();
  store.flush();
  for (const auto& [path, content] : fs.files) {
    std::string_view c = *content;
    if (!c.empty() && c.back() != '\n') std::abort();
    size_t start = 0;
    for (size_t nl = c.find('\n'); nl != std::string_view::npos; nl = c.find('\n', start)) {
      check_clean(c.substr(start, nl - start));
      start = nl + 1;
    }
  }
  return 0;
}
