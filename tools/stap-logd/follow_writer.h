// SPDX-License-Identifier: GPL-2.0-or-later
// Follow output (-f, --json) written by a thread of its own, so that a slow or stopped reader never
// blocks receiving or the session files.
//
// The daemon's thread hands whole lines to push(), which never blocks: they go into a buffer of at
// most `capacity` bytes that the writer thread empties into the file descriptor with blocking
// writes. Lines that do not fit are skipped and counted, and the reader gets one note of how many
// it missed (made by `missed_note`, so that --json gets a JSON object) before the next line that
// fits. When a write fails (EPIPE: the reader went away) the thread stops and error() says why;
// SIGPIPE is ignored for the whole process so that a closed pipe is an error to report, not a
// death.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sa::logd {

class FollowWriter {
 public:
  FollowWriter(int fd, size_t capacity, std::function<std::string(uint64_t)> missed_note);
  ~FollowWriter();  // stops the thread; one blocked in a write is left to the process's exit

  // Queues `lines` (whole lines, each ending in '\n'). Never blocks.
  void push(std::string_view lines);
  // Waits up to `timeout` until everything queued (and the note of missed lines) is written.
  // False when that did not happen (timeout or error).
  bool drain(std::chrono::milliseconds timeout);
  int error() const;        // 0, or the errno that ended writing
  uint64_t missed() const;  // lines skipped because the reader was slow

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace sa::logd
