// SPDX-License-Identifier: GPL-2.0-or-later
// Wiring between the UDP server, the receiver and the store; flush policy. See daemon.h.
#include "daemon.h"

#include <malloc.h>

#include <cerrno>
#include <cstring>

#include "line_format.h"

namespace sa::logd {

using Clock = std::chrono::steady_clock;

Daemon::Daemon(SessionStore& store, DaemonOptions options)
    : store_(store),
      options_(std::move(options)),
      receiver_(store,
                options_.follow == Follow::none ? LineSink() : LineSink([this](const LineEvent& e) {
                  if (options_.follow == Follow::json) {
                    append_json_line(e, &follow_buffer_);
                  } else {
                    follow_buffer_.append(e.text);
                    follow_buffer_.push_back('\n');
                  }
                }),
                options_.limits) {
  last_flush_ = last_retention_ = Clock::now();
}

const std::string& Daemon::name_of(const Peer& peer) {
  if (last_name_ && peer == last_peer_) return *last_name_;
  std::array<uint8_t, 17> key{};
  key[0] = peer.v4 ? 4 : 6;
  std::memcpy(key.data() + 1, peer.bytes.data(), 16);
  auto it = names_.find(key);
  if (it == names_.end()) {
    if (names_.size() >= kMaxNames)
      names_.clear();  // a flood of addresses; names are cheap to make again
    it = names_.emplace(key, peer_text(peer)).first;
  }
  last_peer_ = peer;
  last_name_ = &it->second;
  return it->second;
}

void Daemon::on_datagram(const Peer& peer, std::string_view data) {
  if (!allowed(options_.allow, peer)) {
    ++stats_.rejected;
    std::string text = peer_text(peer);
    // One warning per sender; a flood of spoofed addresses is not remembered beyond 1024 of them.
    if (rejected_reported_.size() < 1024 && !rejected_reported_[text] && options_.report) {
      rejected_reported_[text] = true;
      Diag d;
      d.severity = Severity::warning;
      d.exit = Exit::ok;
      d.message = "ignoring datagrams from " + text + ": not in --allow";
      options_.report(d);
    }
    return;
  }
  receiver_.on_datagram(name_of(peer), data, Clock::now());
}

void Daemon::on_batch_end(bool idle) {
  auto now = Clock::now();
  if (idle || store_.buffered() > (1u << 20) || now - last_flush_ >= kFlushInterval) flush();
}

void Daemon::on_tick() {
  auto now = Clock::now();
  receiver_.tick(now);
  if (store_.buffered() || !follow_buffer_.empty()) flush();
  if (now - last_retention_ >= std::chrono::seconds(1)) {
    last_retention_ = now;
    store_.enforce_retention();
    // After a flood, give the memory the caps let it take back to the system once nothing is held.
    size_t held = receiver_.held_bytes() + receiver_.reassembly_bytes() + store_.buffered();
    if (held == 0 && trim_wanted_) {
      ::malloc_trim(0);
      trim_wanted_ = false;
    }
  }
  if (receiver_.held_bytes() + receiver_.reassembly_bytes() + store_.buffered() > (1u << 20))
    trim_wanted_ = true;
  report_events();
}

// Their SA1 lines are sequence gaps the receiver notes as lost in the sessions; this says why.
void Daemon::on_dropped(uint64_t datagrams) {
  if (stats_.dropped == 0 && options_.report) {
    Diag d;
    d.severity = Severity::warning;
    d.exit = Exit::ok;
    d.message = "receive queue full (" + std::to_string(kQueueBytes >> 20) +
                " MiB): dropping datagrams until the sessions catch up";
    d.note(
        "the summary counts them; their trace lines are noted as lost in the sessions (sequence "
        "gaps)");
    options_.report(d);
  }
  stats_.dropped += datagrams;
  // Said where the user reads: which sender's they were is unknown, so every open session gets it.
  store_.note_all("receive queue full (" + std::to_string(kQueueBytes >> 20) + " MiB): " +
                  std::to_string(datagrams) + (datagrams == 1 ? " datagram" : " datagrams") +
                  " of any sender dropped unread; their trace lines are noted as lost (sequence "
                  "gaps), other lines are not counted");
}

void Daemon::on_reopen() {
  size_t failed = store_.reopen();
  report_events();
  if (options_.report) {
    Diag d;
    d.severity = failed ? Severity::warning : Severity::note;
    d.message = failed
                    ? "SIGHUP: " + std::to_string(failed) + " session files could not be reopened"
                    : "SIGHUP: session files reopened";
    options_.report(d);
  }
}

bool Daemon::wants_stop() {
  int e = options_.out_error ? options_.out_error() : 0;
  if (e != EPIPE) return false;
  if (!out_closed_reported_ && options_.report) {
    out_closed_reported_ = true;
    Diag d;
    d.severity = Severity::note;
    d.message =
        "follow output closed by its reader (" + std::string(std::strerror(e)) + "): stopping";
    options_.report(d);
  }
  return true;
}

std::string missed_follow_note(Follow follow, uint64_t missed) {
  std::string text = std::string(logproto::kNotePrefix) + "follow output skipped " +
                     std::to_string(missed) + (missed == 1 ? " line" : " lines") +
                     " (its reader was slower than the senders; the session files have them)";
  if (follow != Follow::json) return text + "\n";
  LineEvent e;
  e.kind = LineKind::note;
  e.text = text;
  std::string out;
  append_json_line(e, &out);
  return out;
}

void Daemon::flush() {
  last_flush_ = Clock::now();
  store_.flush();
  if (!follow_buffer_.empty()) {
    if (options_.out) options_.out(follow_buffer_);
    follow_buffer_.clear();
  }
}

void Daemon::report_events() {
  for (const Diag& d : store_.take_events())
    if (options_.report) options_.report(d);
}

Exit Daemon::finish() {
  receiver_.finish();
  flush();
  bool complete = store_.finish();
  report_events();
  return complete ? Exit::ok : Exit::io_error;
}

std::string Daemon::summary() const {
  const ReceiverStats& r = receiver_.stats();
  const StoreStats& s = store_.stats();
  std::string out = "received " + std::to_string(r.datagrams) + " datagrams, wrote " +
                    std::to_string(s.lines) + " lines in " + std::to_string(s.sessions) +
                    " sessions, lost " + std::to_string(r.lost_lines) + " lines";
  if (s.dropped_lines)
    out += ", " + std::to_string(s.dropped_lines) +
           " lines not written (see the notes in the sessions)";
  if (r.jumps) out += ", " + std::to_string(r.jumps) + " sequence jumps";
  if (r.evictions) out += ", " + std::to_string(r.evictions) + " evictions at the caps";
  if (stats_.dropped)
    out += ", dropped " + std::to_string(stats_.dropped) + " datagrams (receive queue full)";
  if (stats_.rejected) out += ", rejected " + std::to_string(stats_.rejected) + " datagrams";
  if (s.removed_sessions)
    out += ", removed " + std::to_string(s.removed_sessions) + " old sessions";
  return out;
}

}  // namespace sa::logd
