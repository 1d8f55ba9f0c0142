// SPDX-License-Identifier: GPL-2.0-or-later
// The follow-output thread. See follow_writer.h.
#include "follow_writer.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

namespace sa::logd {

// Shared with the thread, which may outlive the FollowWriter when it is stuck in a write at exit.
struct FollowWriter::State {
  int fd = 1;
  size_t capacity = 0;
  std::function<std::string(uint64_t)> missed_note;
  std::mutex mu;
  std::condition_variable cv;
  std::string queue;     // guarded by mu
  bool writing = false;  // the thread holds bytes it took from queue
  bool stop = false;
  int error = 0;
  uint64_t missed = 0;         // lines skipped in all
  uint64_t missed_unsaid = 0;  // of which no note was queued yet

  void queue_missed_note() {  // mu held
    if (!missed_unsaid) return;
    queue += missed_note(missed_unsaid);
    missed_unsaid = 0;
  }

  void run() {
    std::string batch;
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return stop || !queue.empty(); });
      if (queue.empty()) return;  // stop, nothing left
      batch.swap(queue);
      writing = true;
      lock.unlock();
      int e = 0;
      for (size_t done = 0; done < batch.size();) {
        ssize_t n = ::write(fd, batch.data() + done, batch.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
          e = errno;
          break;
        }
        done += static_cast<size_t>(n);
      }
      batch.clear();
      lock.lock();
      writing = false;
      cv.notify_all();
      if (e) {
        error = e;
        queue.clear();
        return;
      }
    }
  }
};

FollowWriter::FollowWriter(int fd, size_t capacity,
                           std::function<std::string(uint64_t)> missed_note)
    : state_(std::make_shared<State>()) {
  std::signal(SIGPIPE, SIG_IGN);
  state_->fd = fd;
  state_->capacity = capacity;
  state_->missed_note = std::move(missed_note);
  std::thread([s = state_] { s->run(); }).detach();
}

FollowWriter::~FollowWriter() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->stop = true;
  state_->cv.notify_all();
}

void FollowWriter::push(std::string_view lines) {
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.error || s.stop) return;
  if (s.queue.size() + lines.size() > s.capacity) {
    uint64_t n = static_cast<uint64_t>(std::count(lines.begin(), lines.end(), '\n'));
    s.missed += n;
    s.missed_unsaid += n;
    return;
  }
  s.queue_missed_note();
  s.queue.append(lines);
  s.cv.notify_all();
}

bool FollowWriter::drain(std::chrono::milliseconds timeout) {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mu);
  if (!s.error) s.queue_missed_note();
  s.cv.notify_all();
  return s.cv.wait_for(lock, timeout, [&] { return s.error || (s.queue.empty() && !s.writing); }) &&
         !s.error;
}

int FollowWriter::error() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->error;
}

uint64_t FollowWriter::missed() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->missed;
}

}  // namespace sa::logd
