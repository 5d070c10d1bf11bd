// Real iputils ping (20221126, Debian 12) output, captured on this machine against 127.0.0.1, ::1 and
// a test network namespace (tests/helpers/netns.ts) whose responder delayed, duplicated or dropped
// replies. Regenerate with the same commands if iputils changes its format.
export const PING = {
  loopback: {
    exitCode: 0,
    text: "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.030 ms\n64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.040 ms\n64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time=0.045 ms\n64 bytes from 127.0.0.1: icmp_seq=4 ttl=64 time=0.040 ms\n64 bytes from 127.0.0.1: icmp_seq=5 ttl=64 time=0.035 ms\n\n--- 127.0.0.1 ping statistics ---\n5 packets transmitted, 5 received, 0% packet loss, time 813ms\nrtt min/avg/max/mdev = 0.030/0.038/0.045/0.005 ms\n",
  },
  ipv6: {
    exitCode: 0,
    text: "PING ::1(::1) 56 data bytes\n64 bytes from ::1: icmp_seq=1 ttl=64 time=0.192 ms\n64 bytes from ::1: icmp_seq=2 ttl=64 time=0.039 ms\n64 bytes from ::1: icmp_seq=3 ttl=64 time=0.039 ms\n\n--- ::1 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 405ms\nrtt min/avg/max/mdev = 0.039/0.090/0.192/0.072 ms\n",
  },
  delayed: {
    exitCode: 0,
    text: "PING 203.0.113.4 (203.0.113.4) 56(84) bytes of data.\n64 bytes from 203.0.113.4: icmp_seq=1 ttl=63 time=5.81 ms\n64 bytes from 203.0.113.4: icmp_seq=2 ttl=63 time=9.16 ms\n64 bytes from 203.0.113.4: icmp_seq=3 ttl=63 time=5.73 ms\n64 bytes from 203.0.113.4: icmp_seq=4 ttl=63 time=5.62 ms\n64 bytes from 203.0.113.4: icmp_seq=5 ttl=63 time=5.64 ms\n\n--- 203.0.113.4 ping statistics ---\n5 packets transmitted, 5 received, 0% packet loss, time 803ms\nrtt min/avg/max/mdev = 5.620/6.389/9.155/1.384 ms\n",
  },
  dup: {
    exitCode: 0,
    text: "PING 203.0.113.4 (203.0.113.4) 56(84) bytes of data.\n64 bytes from 203.0.113.4: icmp_seq=1 ttl=63 time=5.63 ms\n64 bytes from 203.0.113.4: icmp_seq=1 ttl=63 time=5.67 ms (DUP!)\n64 bytes from 203.0.113.4: icmp_seq=2 ttl=63 time=5.75 ms\n64 bytes from 203.0.113.4: icmp_seq=2 ttl=63 time=5.80 ms (DUP!)\n64 bytes from 203.0.113.4: icmp_seq=3 ttl=63 time=5.94 ms\n\n--- 203.0.113.4 ping statistics ---\n3 packets transmitted, 3 received, +2 duplicates, 0% packet loss, time 402ms\nrtt min/avg/max/mdev = 5.633/5.757/5.940/0.108 ms\n",
  },
  partial: {
    exitCode: 0,
    text: "PING 203.0.113.4 (203.0.113.4) 56(84) bytes of data.\n64 bytes from 203.0.113.4: icmp_seq=1 ttl=63 time=6.04 ms\n64 bytes from 203.0.113.4: icmp_seq=3 ttl=63 time=5.72 ms\n64 bytes from 203.0.113.4: icmp_seq=5 ttl=63 time=5.64 ms\n\n--- 203.0.113.4 ping statistics ---\n6 packets transmitted, 3 received, 50% packet loss, time 1010ms\nrtt min/avg/max/mdev = 5.636/5.796/6.038/0.173 ms\n",
  },
  total: {
    exitCode: 1,
    text: "PING 203.0.113.4 (203.0.113.4) 56(84) bytes of data.\n\n--- 203.0.113.4 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 405ms\n\n",
  },
  unreach: {
    exitCode: 1,
    text: "PING 198.51.100.29 (198.51.100.29) 56(84) bytes of data.\nFrom 198.51.100.25 icmp_seq=1 Destination Host Unreachable\nFrom 198.51.100.25 icmp_seq=2 Destination Host Unreachable\nFrom 198.51.100.25 icmp_seq=3 Destination Host Unreachable\n\n--- 198.51.100.29 ping statistics ---\n5 packets transmitted, 0 received, +3 errors, 100% packet loss, time 4081ms\npipe 4\n",
  },
  unknownhost: { exitCode: 2, text: "ping: no-such-host.invalid: Name or service not known\n" },
  networkUnreachable: { exitCode: 2, text: "ping: connect: Network is unreachable\n" },
} as const;
