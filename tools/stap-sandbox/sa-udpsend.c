// SPDX-License-Identifier: GPL-2.0-or-later
// sa-udpsend ADDR PORT [TEXT...]: sends one UDP datagram (TEXT, or stdin when no TEXT is given) to
// ADDR:PORT with SO_BROADCAST set, so 255.255.255.255 works. Busybox's nc has no UDP mode; the test
// bed builds this statically into the guest's initramfs to prove the path guest -> host loopback.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: sa-udpsend ADDR PORT [TEXT...]\n");
    return 64;
  }
  char buf[65507];
  size_t len = 0;
  if (argc > 3) {
    for (int i = 3; i < argc; i++) {
      size_t n = strlen(argv[i]);
      if (len + n + 1 > sizeof buf) break;
      if (i > 3) buf[len++] = ' ';
      memcpy(buf + len, argv[i], n);
      len += n;
    }
  } else {
    ssize_t n;
    while (len < sizeof buf && (n = read(0, buf + len, sizeof buf - len)) > 0) len += (size_t)n;
  }
  struct sockaddr_in to = {0};
  to.sin_family = AF_INET;
  to.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
    fprintf(stderr, "sa-udpsend: error: bad IPv4 address: %s\n", argv[1]);
    return 64;
  }
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int on = 1;
  if (s < 0 || setsockopt(s, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) != 0) {
    perror("sa-udpsend: error: socket");
    return 69;
  }
  if (sendto(s, buf, len, 0, (struct sockaddr*)&to, sizeof to) != (ssize_t)len) {
    perror("sa-udpsend: error: sendto");
    return 74;
  }
  return 0;
}
