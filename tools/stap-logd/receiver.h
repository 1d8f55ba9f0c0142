// SPDX-License-Identifier: GPL-2.0-or-later
// The receiver: turns datagrams from many senders into session lines.
//
// Per sender it keeps
//   - per CPU: the next sequence number to write and the lines that arrived ahead of it. Lines are
//     written in sequence order. netpoll can reorder one CPU's datagrams (its deferred transmit
//     work takes a queued datagram off the queue, fails to send it and puts it back, while the CPU
//     that writes sends the next ones directly), so a gap or a line with a missing chunk waits up
//     to kHoldTimeout for the late datagrams before it is written as lost:
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
// Every text that reaches a file or stdout goes through logproto::sanitize, and a received line
// that begins like a note ("-- stap-logd") is marked: its first byte is written as "\x2d", so that
// only stap-logd's own notes begin with the note prefix (share/log-format.md).
//
// Memory and CPU are bounded by ReceiverLimits, not by the senders' good will: at most max_senders
// senders and max_cpus CPUs per sender are remembered (the least recently heard from are forgotten
// first, with a note), the lines that all CPUs hold while they wait for late datagrams are capped
// in count and bytes, and so are the bytes of netconsole messages and raw tails being put together;
// past a cap what is held is written at once (with its lost-lines notes) and a note says why. A
// sequence number more than kMaxGap ahead of the next one expected is not a gap to count but a
// restart (or a loss too large to be believed): a note says so and the CPU follows the new numbers.
// tick() visits only the senders that hold something, so an idle daemon costs nothing per sender.
//
// The receiver owns no socket and no clock: the daemon passes the time in, tests pass their own.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
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
// A sequence number further ahead than this is a restart, not a count of lost lines.
inline constexpr uint64_t kMaxGap = uint64_t{1} << 24;

// The caps on what the receiver remembers (stap-logd's --max-* options; see man/stap-logd.1).
struct ReceiverLimits {
  size_t max_senders = 1024;                // senders remembered at once
  size_t max_cpus = 1024;                   // CPUs remembered per sender
  size_t max_held_lines = 65536;            // lines held by all CPUs of all senders
  size_t max_held_bytes = 64u << 20;        // their bytes (text and bookkeeping)
  size_t max_reassembly_bytes = 16u << 20;  // netconsole messages and raw tails being put together
};

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
  std::array<uint64_t, 4> lines{};  // lines emitted, by LineKind
  uint64_t lost_lines = 0;          // the sum of N over the "lost N lines" notes
  uint64_t jumps = 0;               // sequence jumps beyond kMaxGap (restarts)
  uint64_t evictions = 0;           // senders and CPUs forgotten, holds cut short by a cap
};

class Receiver {
 public:
  // `follow` (may be empty) sees every line written, for -f and --json.
  Receiver(SessionStore& store, LineSink follow, ReceiverLimits limits = {});

  void on_datagram(const std::string& sender, std::string_view data, Steady now);
  // Writes raw tails and incomplete lines that waited too long.
  void tick(Steady now);
  // Writes everything still held (shutdown).
  void finish();

  const ReceiverStats& stats() const { return stats_; }
  size_t senders() const { return senders_.size(); }
  size_t cpus(const std::string& sender) const {
    auto it = senders_.find(sender);
    return it == senders_.end() ? 0 : it->second.cpus.size();
  }
  size_t waiting() const { return waiting_.size(); }
  size_t held_lines() const { return held_lines_; }
  size_t held_bytes() const { return held_bytes_; }
  size_t reassembly_bytes() const { return reassembly_bytes_; }

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
    uint64_t next_seq = 0;              // the sequence number of the next line to write
    std::map<uint64_t, HeldLine> held;  // every key is >= next_seq
    size_t held_bytes = 0;              // as counted against the limits (see held_cost)
    // (seq, arrival) of each held line in arrival order from arrivals_head on; entries below
    // next_seq were written. The first one left is the oldest held line: how long a gap has waited,
    // without a scan. (A vector, not a deque: an empty deque allocates, and there may be many
    // CPUs.)
    std::vector<std::pair<uint64_t, Steady>> arrivals;
    size_t arrivals_head = 0;
    uint64_t last_used = 0;  // the receiver's datagram count when it was last heard from
  };
  struct NetconsoleMessage {
    bool active = false;
    uint64_t seq = 0;
    uint64_t ts_usec = 0;
    size_t total = 0;
    size_t received = 0;  // distinct bytes filled
    // The bytes up to the furthest fragment so far (not `total` at once: a fragment that announces
    // 64 KiB and brings 1 byte costs 1 byte), and which of them a fragment covered.
    std::string buf;
    std::vector<bool> filled;
    Steady since{};
    size_t cost() const { return buf.size() + filled.size() / 8; }
  };
  struct Sender {
    bool sequences_from_one = false;    // a module clear was seen: each CPU starts at seq 1
    const std::string* name = nullptr;  // its key in senders_
    bool waiting = false;  // in waiting_: may hold lines, a raw tail or a netconsole message
    bool evicted = false;
    uint64_t last_used = 0;
    std::map<unsigned, CpuState> cpus;
    std::string raw_tail;
    Steady raw_since{};
    NetconsoleMessage nc;
  };

  using SenderMap = std::map<std::string, Sender>;

  Sender& sender_state(const std::string& sender);
  CpuState& cpu_state(const std::string& sender, Sender& s, unsigned cpu);
  void evict_senders();
  void evict_cpus(const std::string& sender, Sender& s);
  void enforce_limits();
  void mark_waiting(Sender& s);
  bool has_work(const Sender& s) const;
  void on_sa1(const std::string& sender, Sender& s, const logproto::Datagram& d, Steady now);
  void clear(const std::string& sender, Sender& s);
  void hold(const std::string& sender, const logproto::Datagram& d, CpuState& c, Steady now);
  void release(const std::string& sender, unsigned cpu, CpuState& c, Steady now, bool all);
  void late(const std::string& sender, const logproto::Datagram& d);
  void write_held(const std::string& sender, unsigned cpu, uint64_t seq, const HeldLine& h);
  void on_raw(const std::string& sender, Sender& s, std::string_view text, Steady now);
  void flush_raw_tail(const std::string& sender, Sender& s);
  void on_netconsole(const std::string& sender, Sender& s, const logproto::Datagram& d, Steady now);
  void finish_netconsole(const std::string& sender, Sender& s, const char* why = nullptr);
  void drop_netconsole(NetconsoleMessage& m);
  void flush_sender(const std::string& sender, Sender& s);

  void emit(const std::string& sender, LineKind kind, std::optional<unsigned> cpu,
            std::optional<uint64_t> seq, std::string_view text);
  void note(const std::string& sender, std::optional<unsigned> cpu, const std::string& text);
  void ensure_session(const std::string& sender, const char* why);

  SessionStore& store_;
  LineSink follow_;
  ReceiverLimits limits_;
  SenderMap senders_;
  std::vector<Sender*> waiting_;  // the senders tick() must visit (map nodes do not move)
  uint64_t clock_ = 0;            // datagrams so far: the order senders were heard in
  size_t held_lines_ = 0, held_bytes_ = 0, reassembly_bytes_ = 0;
  ReceiverStats stats_;
  std::string scratch_;
  std::string marked_;
};

}  // namespace sa::logd
