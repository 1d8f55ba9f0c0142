// SPDX-License-Identifier: GPL-2.0-or-later
// Boost.Asio UDP server with recvmmsg batches. See udp_server.h.
//
// Asio drives readiness (async_wait on the socket), signals and the tick timer; the receives
// themselves are recvmmsg() calls on the native handle in non-blocking mode, up to kBatch datagrams
// a call, until the kernel queue is empty. Each buffer is 64 KiB so that no datagram is ever
// truncated.
#include "udp_server.h"

#include <netinet/in.h>
#include <sys/socket.h>

// clang-format off
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp uses std::exchange in C++20
// clang-format on
#include <boost/asio.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace sa::logd {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

constexpr int kBatch = 64;
constexpr size_t kBufferSize = 65536;

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

  std::vector<char> buffers = std::vector<char>(kBatch * kBufferSize);
  mmsghdr msgs[kBatch];
  iovec iovs[kBatch];
  sockaddr_storage addrs[kBatch];

  // Receives until the queue is empty (or, under load, returns after a bounded number of batches so
  // that timers and signals still run). Returns true when the queue was found empty.
  bool receive_some() {
    int fd = socket.native_handle();
    for (int round = 0; round < 64; ++round) {
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
      if (n < 0) {
        if (errno == EINTR) continue;
        handler->on_batch_end(true);  // EAGAIN, or an error we cannot act on (e.g. ICMP)
        return true;
      }
      for (int i = 0; i < n; ++i)
        handler->on_datagram(
            peer_of(addrs[i]),
            std::string_view(static_cast<const char*>(iovs[i].iov_base), msgs[i].msg_len));
      bool idle = n < kBatch;
      handler->on_batch_end(idle);
      if (!stopping && handler->wants_stop()) stop();
      if (idle) return true;
    }
    return false;
  }

  void wait_readable() {
    socket.async_wait(udp::socket::wait_read, [this](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      if (receive_some())
        wait_readable();
      else
        asio::post(io, [this] {
          if (!stopping) {
            receive_some();
            wait_readable();
          }
        });
    });
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
UdpServer::~UdpServer() = default;

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
  m.wait_readable();
  m.wait_tick();
  m.io.run();
  // Stopped by a signal: everything the kernel accepted before now is still in the socket queue.
  while (!m.receive_some()) {
  }
}

}  // namespace sa::logd
