#!/usr/bin/env python3
"""Whose UDP socket dropped datagrams during a bench run: the server's or the load
generator's. The kernel counts drops per socket (the last column of /proc/net/udp and
/proc/net/udp6: the receive buffer was full); a sipp retransmission means one side dropped
a datagram, and the machine-wide `UdpRcvbufErrors` counter cannot say which side.

    udp_drops.py watch SERVER_PORT OUT.json   # samples every 100 ms until SIGTERM/SIGINT

The totals are the highest count seen per socket (sockets are told apart by inode), so
drops a load generator's socket takes in its last 100 ms before it closes are missed.
"""
import json
import signal
import sys
import time


def sockets():
    """(inode, local port, drops) of every UDP socket on the host."""
    for path in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            lines = open(path).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if len(f) < 13:
                continue
            port = int(f[1].rsplit(":", 1)[1], 16)
            yield f[9], port, int(f[-1])


def watch(server_port, out):
    # Drops before the watch started are not this run's.
    start = {inode: drops for inode, _, drops in sockets()}
    seen = {}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    while not stop:
        for inode, port, drops in sockets():
            gained = drops - start.get(inode, 0)
            if gained > seen.get(inode, (0, port))[0]:
                seen[inode] = (gained, port)
        time.sleep(0.1)
    server = sum(d for d, p in seen.values() if p == server_port)
    clients = sum(d for d, p in seen.values() if p != server_port)
    json.dump({"server_socket_drops": server, "other_socket_drops": clients,
               "sockets": sorted([p, d] for d, p in seen.values() if d)}, open(out, "w"))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "watch":
        sys.exit(__doc__)
    watch(int(sys.argv[2]), sys.argv[3])
