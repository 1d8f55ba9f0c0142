#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the stap-testbed guest (busybox sh). Mounts the pseudo file systems, loads the virtio-net
# chain, brings eth0 up as 10.0.2.15/24 (QEMU user-mode network, host 10.0.2.2), runs /sa/run.sh from
# the per-run archive in /root, prints "SA-GUEST-EXIT: <status>" and powers off. stap-testbed reads that
# line from the console; everything before it is the user's output and the kernel's messages.
echo "SA-GUEST: init"
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts
hostname sa-guest

# shellcheck disable=SC2013  # the file holds module names, one word each
for m in $(cat /sa/net-chain); do
  modprobe "$m" || echo "SA-GUEST: modprobe $m failed"
done
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2
echo "SA-GUEST: eth0 $(ip -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}')"

rc=0
if [ -f /sa/run.sh ]; then
  cd /root
  sh /sa/run.sh </dev/null
  rc=$?
fi
echo "SA-GUEST-EXIT: $rc"
sync
poweroff -f
echo o > /proc/sysrq-trigger
