// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP side of stap-logd: the only file that knows Boost.Asio and sockets.
//
// One socket (IPv6 dual-stack on all addresses by default, so IPv4 senders arrive too), a large
// receive buffer, and batch receives with recvmmsg() on the socket's native handle whenever Asio
// says it is readable. Signals are Asio signals: SIGINT/SIGTERM stop the loop after draining what
// the kernel already accepted, SIGHUP asks the handler to reopen its files, and the handler can ask
// to stop too (follow output that lost its reader). A periodic tick drives timeouts.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "address.h"
#include "diag.h"

namespace sa::logd {

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
  virtual void on_tick() = 0;    // about every 10 ms
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
