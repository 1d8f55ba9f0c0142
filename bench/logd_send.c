// SPDX-License-Identifier: GPL-2.0-or-later
// logd_send ADDR PORT COUNT SIZE RATE [SRC]: sends COUNT SA1 datagrams of exactly SIZE bytes to
// ADDR:PORT, at RATE datagrams per second (0: as fast as sendmmsg goes). Each is "SA1 0 <seq> 1/1
// bench <seq> xxx..\n" with seq from 1, so that every receiver's output can be counted by its
// "bench " lines. Prints the achieved rate on stderr. SRC: the local IPv4 address to send from
// (e.g. 127.0.0.7, so that one machine plays many senders). Part of bench/logd_bench.sh and
// bench/logd_scale.sh.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kBatch = 32 };

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) {
    fprintf(stderr, "usage: logd_send ADDR PORT COUNT SIZE RATE [SRC]\n");
    return 64;
  }
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2]))};
  inet_pton(AF_INET, argv[1], &to.sin_addr);
  long count = atol(argv[3]), size = atol(argv[4]);
  double rate = atof(argv[5]);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (argc == 7) {
    struct sockaddr_in from = {.sin_family = AF_INET};
    inet_pton(AF_INET, argv[6], &from.sin_addr);
    if (bind(fd, (struct sockaddr*)&from, sizeof from) != 0) {
      perror("bind");
      return 1;
    }
  }
  if (connect(fd, (struct sockaddr*)&to, sizeof to) != 0) {
    perror("connect");
    return 1;
  }
  static char bufs[kBatch][2048];
  struct mmsghdr msgs[kBatch];
  struct iovec iovs[kBatch];
  double start = now();
  long seq = 1;
  while (seq <= count) {
    int n = 0;
    // Paced: at most one batch per tick, sleeping until the batch is due.
    int batch = rate > 0 ? 10 : kBatch;
    for (; n < batch && seq + n <= count; ++n) {
      long s = seq + n;
      int len = snprintf(bufs[n], sizeof bufs[n], "SA1 0 %ld 1/1 bench %ld ", s, s);
      memset(bufs[n] + len, 'x', (size_t)(size - 1 - len));
      bufs[n][size - 1] = '\n';
      iovs[n].iov_base = bufs[n];
      iovs[n].iov_len = (size_t)size;
      memset(&msgs[n], 0, sizeof msgs[n]);
      msgs[n].msg_hdr.msg_iov = &iovs[n];
      msgs[n].msg_hdr.msg_iovlen = 1;
    }
    if (rate > 0) {
      double due = start + (double)(seq - 1) / rate;
      double wait = due - now();
      if (wait > 0) {
        struct timespec ts = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};
        nanosleep(&ts, NULL);
      }
    }
    int sent = 0;
    while (sent < n) {
      int r = sendmmsg(fd, msgs + sent, (unsigned)(n - sent), 0);
      if (r < 0) continue;  // ECONNREFUSED from an ICMP of a receiver not there: keep counting on
      sent += r;
    }
    seq += n;
  }
  double took = now() - start;
  fprintf(stderr, "sent %ld datagrams of %ld bytes in %.2f s (%.0f/s)\n", count, size, took,
          count / took);
  return 0;
}
