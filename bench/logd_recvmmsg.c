// SPDX-License-Identifier: GPL-2.0-or-later
// logd_recvmmsg PORT FILE: the minimal recvmmsg receiver the benchmark compares stap-logd with.
// Binds 127.0.0.1:PORT with the same receive buffer stap-logd asks for (32 MiB, SO_RCVBUFFORCE),
// receives in batches of 64 and appends each datagram to FILE through a 1 MiB stdio buffer, flushed
// when the socket is empty. SIGTERM: drain, flush, exit. Part of bench/logd_bench.sh.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kBatch = 64, kSize = 65536 };
static volatile sig_atomic_t stop;
static void on_term(int sig) {
  (void)sig;
  stop = 1;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: logd_recvmmsg PORT FILE\n");
    return 64;
  }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int want = 32 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (bind(fd, (struct sockaddr*)&a, sizeof a) != 0) {
    perror("bind");
    return 69;
  }
  FILE* out = fopen(argv[2], "a");
  if (!out) {
    perror(argv[2]);
    return 73;
  }
  setvbuf(out, NULL, _IOFBF, 1 << 20);
  struct sigaction sa = {.sa_handler = on_term};
  sigaction(SIGTERM, &sa, NULL);
  static char bufs[kBatch][kSize];
  struct mmsghdr msgs[kBatch];
  struct iovec iovs[kBatch];
  for (;;) {
    for (int i = 0; i < kBatch; ++i) {
      iovs[i].iov_base = bufs[i];
      iovs[i].iov_len = kSize;
      memset(&msgs[i], 0, sizeof msgs[i]);
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(fd, msgs, kBatch, MSG_DONTWAIT, NULL);
    if (n > 0) {
      for (int i = 0; i < n; ++i) fwrite(bufs[i], 1, msgs[i].msg_len, out);
      if (n == kBatch) continue;
    }
    fflush(out);
    if (stop) break;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    poll(&p, 1, 100);
  }
  fclose(out);
  return 0;
}
