// The receiver: turns datagrams from many senders into session lines.
//
// Per sender it keeps
//   - per CPU: the next sequence number to write and the lines that arrived ahead of it. Lines are
//     written in sequence order. netpoll can reorder one CPU's datagrams (its deferred transmit work
//     takes a queued datagram off the queue, fails to send it and puts it back, while the CPU that
//     writes sends the next ones directly), so a gap or a line with a missing chunk waits up to
//     kHoldTimeout for the late datagrams before it is written as lost:
//     "-- stap-logd: lost N lines (cpu C, seq A..B)", or for a line whose chunks did not all arrive
//     "-- stap-logd: lost 1 line (cpu C, seq S..S), incomplete: TEXT". A datagram that comes after
//     its line was written (or twice) is written as "-- stap-logd: late or repeated datagram
//     (cpu C, seq S, part P/N): TEXT". After a module's own clear ("SA1 C 0 1/1 ===CLEAR===")
//     sequences are known to start at 1; otherwise (a daemon started mid-stream) the first line of
//     each CPU sets the baseline.
//   - raw text (plain netconsole, foreign senders, malformed SA1): cut into lines at '\n'; a tail
//     without '\n' is kept briefly (a plain netconsole message longer than 1000 bytes arrives in
//     several datagrams) and written as its own line when nothing follows within kRawLinger.
//   - one netconsole extended message being reassembled from ncfrag fragments.
// Every text that reaches a file or stdout goes through logproto::sanitize.
//
// The receiver owns no socket and no clock: the daemon passes the time in, tests pass their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "log_protocol.h"
#include "session_store.h"

namespace sa::logd {

using Steady = std::chrono::steady_clock::time_point;

inline constexpr std::chrono::milliseconds kRawLinger{20};
// How long a gap in a CPU's sequence, or a line with a missing chunk, waits for late datagrams.
inline constexpr std::chrono::milliseconds kHoldTimeout{1000};
inline constexpr size_t kMaxLine = 64 * 1472;  // the longest line format v1 can carry
// Bounds on what one CPU may hold while it waits; beyond them the oldest gap is written as lost at
// once. A line further behind than kMaxHeldLines is a sender that started again without a clear.
inline constexpr size_t kMaxHeldLines = 4096;
inline constexpr size_t kMaxHeldBytes = 8u << 20;

enum class LineKind { trace, note, raw, netconsole };

// One line as written to a session, with what is known about it (for --json).
struct LineEvent {
  const std::string* sender = nullptr;
  const std::string* session = nullptr;
  LineKind kind = LineKind::trace;
  std::optional<unsigned> cpu;
  std::optional<uint64_t> seq;
  std::string_view text;  // the line exactly as written to the file, without newline
};

using LineSink = std::function<void(const LineEvent&)>;

struct ReceiverStats {
  uint64_t datagrams = 0;
  uint64_t trace_lines = 0;
  uint64_t raw_lines = 0;
  uint64_t netconsole_lines = 0;
  uint64_t notes = 0;
  uint64_t lost_lines = 0;  // the sum of N over the "lost N lines" notes
};

class Receiver {
 public:
  // `follow` (may be empty) sees every line written, for -f and --json.
  Receiver(SessionStore& store, LineSink follow);

  void on_datagram(const std::string& sender, std::string_view data, Steady now);
  // Writes raw tails and incomplete lines that waited too long.
  void tick(Steady now);
  // Writes everything still held (shutdown).
  void finish();

  const ReceiverStats& stats() const { return stats_; }

 private:
  // A line that arrived (or began to) but cannot be written yet.
  struct HeldLine {
    int parts = 0;
    uint64_t got = 0;       // bit P-1 is set once part P arrived
    bool too_long = false;  // more than kMaxLine bytes: not from a preamble, written as incomplete
    size_t bytes = 0;
    std::vector<std::string> chunks;
    Steady since{};  // when its first datagram arrived

    bool complete() const {
      uint64_t all = parts == 64 ? ~uint64_t{0} : (uint64_t{1} << parts) - 1;
      return got == all && !too_long;
    }
  };
  struct CpuState {
    bool have_next = false;
    uint64_t next_seq = 0;               // the sequence number of the next line to write
    std::map<uint64_t, HeldLine> held;   // every key is >= next_seq
    size_t held_bytes = 0;
    // (seq, arrival) of each held line in arrival order; entries below next_seq were written. The
    // first one left is the oldest held line: how long a gap has waited, without a scan.
    std::deque<std::pair<uint64_t, Steady>> arrivals;
  };
  struct NetconsoleMessage {
    bool active = false;
    uint64_t seq = 0;
    uint64_t ts_usec = 0;
    size_t total = 0;
    size_t received = 0;  // distinct bytes filled
    std::string buf;
    std::string filled;   // one byte per byte of buf: 1 once a fragment covered it
    Steady since{};
  };
  struct Sender {
    bool sequences_from_one = false;  // a module clear was seen: each CPU starts at seq 1
    std::map<unsigned, CpuState> cpus;
    std::string raw_tail;
    Steady raw_since{};
    NetconsoleMessage nc;
  };

  void on_sa1(const std::string& sender, Sender& s, const logproto::Datagram& d, Steady now);
  void clear(const std::string& sender, Sender& s);
  void hold(const std::string& sender, const logproto::Datagram& d, CpuState& c, Steady now);
  void release(const std::string& sender, unsigned cpu, CpuState& c, Steady now, bool all);
  void late(const std::string& sender, const logproto::Datagram& d);
  void write_held(const std::string& sender, unsigned cpu, uint64_t seq, const HeldLine& h);
  void on_raw(const std::string& sender, Sender& s, std::string_view text, Steady now);
  void flush_raw_tail(const std::string& sender, Sender& s);
  void on_netconsole(const std::string& sender, Sender& s, const logproto::Datagram& d, Steady now);
  void finish_netconsole(const std::string& sender, Sender& s);
  void flush_sender(const std::string& sender, Sender& s);

  void emit(const std::string& sender, LineKind kind, std::optional<unsigned> cpu,
            std::optional<uint64_t> seq, std::string_view text);
  void note(const std::string& sender, std::optional<unsigned> cpu, const std::string& text);
  void ensure_session(const std::string& sender, const char* why);

  SessionStore& store_;
  LineSink follow_;
  std::map<std::string, Sender> senders_;
  ReceiverStats stats_;
  std::string scratch_;
};

}  // namespace sa::logd
