// SPDX-License-Identifier: GPL-2.0-or-later
/* chain_loadgen HITS_PER_SECOND SECONDS, or chain_loadgen sync: calls getppid() at a steady rate
 * (in 1 ms batches, paced by an absolute clock) for the real-chain latency benchmark
 * (chain_latency.sh), then prints "chain_loadgen: RATE N calls in S s" on stdout. "sync" makes 40
 * calls 25 ms apart: the quiet phase the benchmark measures the guest clock's offset with. Built
 * static for the guest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_until(struct timespec *t, long ns) {
  t->tv_nsec += ns;
  while (t->tv_nsec >= 1000000000L) {
    t->tv_nsec -= 1000000000L;
    t->tv_sec++;
  }
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL);
}

int main(int argc, char **argv) {
  long rate = 0, calls = 0, batches, per, i, j;
  double secs = 0, t0;
  struct timespec t;
  if (argc == 2 && strcmp(argv[1], "sync") == 0) {
    clock_gettime(CLOCK_MONOTONIC, &t);
    t0 = now();
    for (i = 0; i < 40; i++) {
      syscall(SYS_getppid);
      calls++;
      sleep_until(&t, 25000000L);
    }
    printf("chain_loadgen: sync %ld calls in %.3f s\n", calls, now() - t0);
    return 0;
  }
  if (argc != 3 || (rate = atol(argv[1])) <= 0 || (secs = atof(argv[2])) <= 0) {
    fprintf(stderr, "usage: chain_loadgen HITS_PER_SECOND SECONDS | sync\n");
    return 64;
  }
  batches = (long)(secs * 1000);
  clock_gettime(CLOCK_MONOTONIC, &t);
  t0 = now();
  for (i = 0; i < batches; i++) {
    per = rate * (i + 1) / 1000 - rate * i / 1000; /* spreads a rate that 1000 does not divide */
    for (j = 0; j < per; j++) {
      syscall(SYS_getppid);
      calls++;
    }
    sleep_until(&t, 1000000L);
  }
  printf("chain_loadgen: %ld %ld calls in %.3f s\n", rate, calls, now() - t0);
  return 0;
}
