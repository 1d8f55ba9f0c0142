// SPDX-License-Identifier: GPL-2.0-or-later
// Boost.Asio UDP server with recvmmsg batches. See udp_server.h.
//
// Asio drives signals, the tick timer and the hand-over of received batches; the receives
// themselves are recvmmsg() calls on the native handle in non-blocking mode, up to kBatch datagrams
// a call, on a thread of their own that polls the socket (perf under 32 senders: the receive
// thread's share of the time went to parsing and writing, and the kernel dropped datagrams while it
// did). Each buffer is 64 KiB so that no datagram is ever truncated.
#include "udp_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

// clang-format off
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp uses std::exchange in C++20
// clang-format on
#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

namespace sa::logd {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

constexpr int kBatch = 64;
constexpr size_t kBufferSize = 65536;
// How much higher the receiving thread's priority is than the daemon's, where it may be raised.
constexpr int kReceiverBoost = 5;

Peer peer_of(const sockaddr_storage& ss) {
  Peer p;
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    p.v4 = true;
    std::memcpy(p.bytes.data(), &a->sin_addr, 4);
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    p.v4 = false;
    std::memcpy(p.bytes.data(), &a->sin6_addr, 16);
    p = normalise_mapped(p);
  }
  return p;
}

long read_long_file(const char* path) {
  std::ifstream f(path);
  long v = -1;
  f >> v;
  return v;
}

}  // namespace

struct UdpServer::Impl {
  asio::io_context io;
  udp::socket socket{io};
  asio::signal_set signals{io};
  asio::steady_timer timer{io};
  bool stopping = false;
  DatagramHandler* handler = nullptr;

  // The receiving thread: drains the socket into `queue` and nothing else, so that parsing, the
  // session writes and a slow disk never keep the kernel's socket buffer from being emptied.
  std::thread receiver;
  std::atomic<bool> receiver_stop{false};
  std::vector<char> buffers = std::vector<char>(kBatch * kBufferSize);
  mmsghdr msgs[kBatch];
  iovec iovs[kBatch];
  sockaddr_storage addrs[kBatch];

  // Between the threads, under `mutex`: batches of datagrams, at most kQueueBytes of them; beyond,
  // whole batches are dropped and counted (their SA1 lines become sequence gaps, noted as lost).
  struct Batch {
    std::string bytes;
    std::vector<std::pair<Peer, uint32_t>> datagrams;  // sender and length, in order
  };
  std::mutex mutex;
  std::vector<Batch> queue;
  size_t queued_bytes = 0;
  uint64_t dropped = 0;
  bool posted = false;  // a drain() is posted to `io` and has not yet found the queue empty

  // One recvmmsg() into a batch. Returns the number received, 0 when the socket is empty.
  int receive_batch(int fd) {
    for (int i = 0; i < kBatch; ++i) {
      iovs[i].iov_base = buffers.data() + i * kBufferSize;
      iovs[i].iov_len = kBufferSize;
      std::memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &addrs[i];
      msgs[i].msg_hdr.msg_namelen = sizeof addrs[i];
    }
    int n = ::recvmmsg(fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return n < 0 && errno == EINTR ? -1 : 0;  // EAGAIN, or an error we cannot act on
    Batch b;
    size_t total = 0;
    for (int i = 0; i < n; ++i) total += msgs[i].msg_len;
    b.bytes.reserve(total);
    b.datagrams.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      b.bytes.append(static_cast<const char*>(iovs[i].iov_base), msgs[i].msg_len);
      b.datagrams.emplace_back(peer_of(addrs[i]), msgs[i].msg_len);
    }
    std::lock_guard lock(mutex);
    if (queued_bytes + total > kQueueBytes) {
      dropped += static_cast<uint64_t>(n);
    } else {
      queued_bytes += total;
      queue.push_back(std::move(b));
    }
    if (!posted) {
      posted = true;
      asio::post(io, [this] { drain(); });
    }
    return n;
  }

  // The receiving thread's loop. After receiver_stop it still receives until the socket is empty:
  // what the kernel accepted before the stop is kept.
  void receive_loop() {
    raise_priority();
    int fd = socket.native_handle();
    while (true) {
      bool stop_asked = receiver_stop.load();
      int n = receive_batch(fd);
      if (n != 0) continue;
      if (stop_asked) return;
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, 20);  // 20 ms: how soon a stop is seen when nothing arrives
    }
  }

  // Under CPU contention the receiving thread goes before the parsing thread and the daemon's
  // neighbours: a datagram waits in the queue at about its own size, but costs about 5 times its
  // size in the kernel's receive buffer (its skb), which is what overflows when the receiving
  // thread is not scheduled (bench/logd_scale.sh). Linux keeps nice values per thread; raising one
  // takes CAP_SYS_NICE (root), without it the thread keeps the daemon's priority.
  static void raise_priority() {
    errno = 0;
    int nice = ::getpriority(PRIO_PROCESS, 0);  // 0: this thread
    if (errno == 0) ::setpriority(PRIO_PROCESS, 0, std::max(nice - kReceiverBoost, -20));
  }

  // On the io thread: hands what is queued to the handler, a queue's worth at a time so that
  // timers and signals run in between. Returns true when the queue was found empty.
  bool handle_queue() {
    std::vector<Batch> batches;
    uint64_t lost = 0;
    {
      std::lock_guard lock(mutex);
      batches.swap(queue);
      queued_bytes = 0;
      lost = dropped;
      dropped = 0;
    }
    if (lost) handler->on_dropped(lost);
    for (const Batch& b : batches) {
      size_t at = 0;
      for (const auto& [peer, len] : b.datagrams) {
        handler->on_datagram(peer, std::string_view(b.bytes).substr(at, len));
        at += len;
      }
      handler->on_batch_end(false);
    }
    std::lock_guard lock(mutex);
    bool empty = queue.empty() && dropped == 0;
    if (empty) posted = false;
    return empty;
  }

  void drain() {
    bool empty = handle_queue();
    if (empty) handler->on_batch_end(true);
    if (!stopping && handler->wants_stop()) stop();
    if (!empty) asio::post(io, [this] { drain(); });
  }

  void wait_tick() {
    timer.expires_after(std::chrono::milliseconds(10));
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      handler->on_tick();
      if (handler->wants_stop()) {
        stop();
        return;
      }
      wait_tick();
    });
  }

  void wait_signal() {
    signals.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        handler->on_reopen();
        wait_signal();
        return;
      }
      stop();
    });
  }

  void stop() {
    stopping = true;
    boost::system::error_code ignored;
    socket.cancel(ignored);
    timer.cancel();
    signals.cancel(ignored);
  }
};

UdpServer::UdpServer() : impl_(std::make_unique<Impl>()) {}
UdpServer::~UdpServer() {
  if (impl_->receiver.joinable()) {  // run() left by an exception
    impl_->receiver_stop = true;
    impl_->receiver.join();
  }
}

bool UdpServer::open(const ServerOptions& options, Diag* err, std::vector<Diag>* notes) {
  Impl& m = *impl_;
  boost::system::error_code ec;
  udp::endpoint ep;
  if (options.bind.empty()) {
    ep = udp::endpoint(udp::v6(), static_cast<unsigned short>(options.port));
  } else {
    auto addr = asio::ip::make_address(options.bind, ec);
    if (ec) {
      *err = Diag::error(Exit::usage, "bad --bind address '" + options.bind + "'");
      return false;
    }
    ep = udp::endpoint(addr, static_cast<unsigned short>(options.port));
  }
  m.socket.open(ep.protocol(), ec);
  if (ec && options.bind.empty()) {  // no IPv6 on this host: IPv4 only
    ep = udp::endpoint(udp::v4(), static_cast<unsigned short>(options.port));
    m.socket.open(ep.protocol(), ec);
  }
  if (ec) {
    *err = Diag::error(Exit::unavailable, "cannot open a UDP socket: " + ec.message());
    return false;
  }
  if (ep.protocol() == udp::v6()) m.socket.set_option(asio::ip::v6_only(false), ec);
  m.socket.bind(ep, ec);
  if (ec) {
    std::string where = (options.bind.empty() ? std::string("*") : options.bind) + " port " +
                        std::to_string(options.port);
    *err = Diag::error(Exit::unavailable, "cannot listen on UDP " + where + ": " + ec.message());
    if (ec == asio::error::address_in_use)
      err->note("another stap-logd may be running; choose another port with -p");
    return false;
  }
  m.socket.non_blocking(true, ec);

  // A big receive buffer rides out bursts while the disk is slow. SO_RCVBUFFORCE (root) ignores
  // net.core.rmem_max; otherwise the kernel caps the request, which is worth a note.
  int fd = m.socket.native_handle();
  int want = options.receive_buffer;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
  int got = 0;
  socklen_t len = sizeof got;
  ::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
  if (got / 2 < want) {  // Linux reports twice the usable size
    Diag n;
    n.severity = Severity::note;
    n.message = "receive buffer is " + std::to_string(got / 2) + " bytes, not the " +
                std::to_string(want) + " asked for (net.core.rmem_max is " +
                std::to_string(read_long_file("/proc/sys/net/core/rmem_max")) + ")";
    notes->push_back(n);
  }

  m.signals.add(SIGINT);
  m.signals.add(SIGTERM);
  m.signals.add(SIGHUP);
  return true;
}

int UdpServer::port() const { return impl_->socket.local_endpoint().port(); }

std::string UdpServer::address() const {
  return impl_->socket.local_endpoint().address().to_string();
}

void UdpServer::run(DatagramHandler& handler) {
  Impl& m = *impl_;
  m.handler = &handler;
  m.wait_signal();
  m.wait_tick();
  m.receiver = std::thread([&m] { m.receive_loop(); });
  m.io.run();
  // Stopped: the receiving thread empties the socket of what the kernel accepted before now, then
  // ends; what it queued is handed over here.
  m.receiver_stop = true;
  m.receiver.join();
  while (!m.handle_queue()) {
  }
  handler.on_batch_end(true);
}

}  // namespace sa::logd
