// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP side of stap-logd: the only file that knows Boost.Asio and sockets.
//
// One socket (IPv6 dual-stack on all addresses by default, so IPv4 senders arrive too), a large
// receive buffer, and a thread of its own that only receives: recvmmsg() batches into a queue of at
// most kQueueBytes, which the handler is given on the Asio thread. So parsing and writing sessions
// (a slow or full disk) never stop the socket from being emptied; when the handler falls behind by
// more than the queue, whole batches are dropped and counted (on_dropped). Signals are Asio
// signals: SIGINT/SIGTERM stop the loop after draining what the kernel already accepted, SIGHUP
// asks the handler to reopen its files, and the handler can ask to stop too (follow output that
// lost its reader). A periodic tick drives timeouts. The handler is only ever called on the thread
// of run().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "address.h"
#include "diag.h"

namespace sa::logd {

// Received datagram bytes waiting for the handler, at most.
inline constexpr size_t kQueueBytes = 64u << 20;

struct ServerOptions {
  std::string bind;               // empty: all addresses, IPv6 and IPv4
  int port = 65530;               // 0: any free port (see UdpServer::port)
  int receive_buffer = 32 << 20;  // SO_RCVBUF(FORCE) request in bytes
};

class DatagramHandler {
 public:
  virtual ~DatagramHandler() = default;
  virtual void on_datagram(const Peer& peer, std::string_view data) = 0;
  // After each batch of receives; `idle` when the socket had nothing more.
  virtual void on_batch_end(bool idle) = 0;
  virtual void on_tick() = 0;  // about every 10 ms
  // `datagrams` were received but dropped: the handler was more than kQueueBytes behind.
  virtual void on_dropped(uint64_t datagrams) { (void)datagrams; }
  virtual void on_reopen() = 0;  // SIGHUP
  // Asked after each batch and tick: true stops the server as SIGTERM does.
  virtual bool wants_stop() { return false; }
};

class UdpServer {
 public:
  UdpServer();
  ~UdpServer();
  // Binds and sets up signals. Exit::unavailable when the port is taken or the address is not
  // local. Notes (e.g. a capped receive buffer) are appended to *notes.
  bool open(const ServerOptions& options, Diag* err, std::vector<Diag>* notes);
  int port() const;
  std::string address() const;  // what it is bound to, e.g. "::" or "127.0.0.1"
  // Runs until SIGINT or SIGTERM, then receives what the kernel already holds and returns.
  void run(DatagramHandler& handler);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sa::logd
