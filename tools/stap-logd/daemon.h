// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon: what stap-logd does with each datagram, between the UDP server and the session store.
//
// It filters senders (--allow), names them, hands datagrams to the Receiver, writes follow output
// (-f, --json), and decides when to flush: when the socket is drained, and at least every
// kFlushInterval under sustained load, so that a line is visible to `tail -f` within 50 ms.
// It never prints: diagnostics go to the `report` callback and follow output to `out`, both given
// by main(); `out` must not block (main gives it a FollowWriter). When `out_error` says the follow
// output ended with EPIPE (the reader went away), the daemon asks the server to stop, as SIGTERM
// does. The names of senders are cached for at most kMaxNames addresses.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "address.h"
#include "receiver.h"
#include "session_store.h"
#include "udp_server.h"

namespace sa::logd {

inline constexpr std::chrono::milliseconds kFlushInterval{10};
inline constexpr size_t kMaxNames = 4096;

enum class Follow { none, text, json };

struct DaemonOptions {
  std::vector<Cidr> allow;
  Follow follow = Follow::none;
  std::function<void(const Diag&)> report;    // warnings and notes while running
  std::function<void(std::string_view)> out;  // follow output (stdout); never blocks
  std::function<int()> out_error;             // 0, or the errno that ended the follow output
  ReceiverLimits limits;
};

// The line a follow reader gets instead of `missed` lines it was too slow for (text or JSON).
std::string missed_follow_note(Follow follow, uint64_t missed);

struct DaemonStats {
  uint64_t rejected = 0;  // datagrams from senders outside --allow
  uint64_t dropped = 0;   // datagrams received but dropped: the receive queue was full
};

class Daemon : public DatagramHandler {
 public:
  Daemon(SessionStore& store, DaemonOptions options);

  void on_datagram(const Peer& peer, std::string_view data) override;
  void on_batch_end(bool idle) override;
  void on_tick() override;
  void on_dropped(uint64_t datagrams) override;
  void on_reopen() override;
  bool wants_stop() override;
  // Writes everything held and flushes (after the server stopped). Exit::io_error when a line did
  // not reach its session file (the summary says how many), else Exit::ok.
  Exit finish();

  // "received N datagrams from S senders, wrote L lines in K sessions, lost M lines, ..."
  std::string summary() const;
  const Receiver& receiver() const { return receiver_; }

 private:
  void flush();
  void report_events();
  const std::string& name_of(const Peer& peer);

  SessionStore& store_;
  DaemonOptions options_;
  Receiver receiver_;
  std::string follow_buffer_;
  std::map<std::array<uint8_t, 17>, std::string> names_;
  std::map<std::string, bool> rejected_reported_;
  Peer last_peer_{};
  const std::string* last_name_ = nullptr;
  std::chrono::steady_clock::time_point last_flush_{};
  std::chrono::steady_clock::time_point last_retention_{};
  DaemonStats stats_;
  bool out_closed_reported_ = false;
  bool trim_wanted_ = false;
};

}  // namespace sa::logd
