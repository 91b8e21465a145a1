#!/usr/bin/python3
"""An emulated RS485 line: pseudo-terminals joined by a relay that moves bytes at wire speed.

Each --port PATH[,parity[,stop[,delay_ms]]] creates a pty pair; PATH becomes a symlink to the
slave end an application opens (a master, a slave process, a scanner), the relay holds the master
end. The speed each application set on its end is read with tcgetattr on the master (Linux reports
the slave's settings there). Parity cannot be seen through a pty (the pty driver clears PARENB), so
each end's parity and stop bits are declared here.

The line is modelled bit by bit: every byte written on an end becomes a character (start, 8 data
bits LSB first, parity, stop bits) at that end's speed, queued behind that end's previous character.
The line level is the wired-AND of all drivers (a collision gives what the stronger low level
makes of it). Every other end has a UART that waits for a low level, samples the middle of each bit
at its own speed and delivers the byte at the middle of its stop bit, one byte at a time. A wrong
stop bit (framing error) or parity drops the character, as a receiver with IGNPAR does; a receiver
checks only the first stop bit, as real UARTs do. So matching settings deliver each byte after its
character time, and mismatched speeds or parity deliver garbage, fragments or nothing.

Not modelled: electrical effects (termination, bias, reflections, A/B swap), transmitter enable
timing, 7 data bits, break conditions as such.

Control on stdin, one command a line: "stats" prints one JSON line; "reset" zeroes the counters.
Prints "ready" once every PATH exists.
"""
import argparse
import bisect
import ctypes
import errno
import fcntl
import json
import os
import random
import select
import signal
import sys
import termios
import time
import tty

SPEEDS = {}
for _b in (300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600):
    _c = getattr(termios, "B%d" % _b, None)
    if _c is not None:
        SPEEDS[_c] = _b


class Char:
    """One character on the wire; its bit levels are worked out only when a receiver samples them."""

    __slots__ = ("t0", "bit", "end", "byte", "parity", "stop", "clean", "_bits")

    def __init__(self, t0, bit, byte, parity, stop):
        self.t0 = t0
        self.bit = bit
        self.end = t0 + bit * (10 + stop - 1 + (parity != "none"))
        self.byte = byte
        self.parity = parity
        self.stop = stop
        self.clean = True
        self._bits = None

    @property
    def bits(self):
        if self._bits is None:
            self._bits = char_bits(self.byte, self.parity, self.stop)
        return self._bits


def char_bits(byte, parity, stop):
    data = [(byte >> i) & 1 for i in range(8)]
    bits = [0] + data
    if parity == "even":
        bits.append(sum(data) & 1)
    elif parity == "odd":
        bits.append((sum(data) & 1) ^ 1)
    return bits + [1] * stop


class End:
    """One pty pair: the transmitter of what its application writes and the receiver of the line."""

    def __init__(self, path, parity, stop, delay_ms):
        self.path = path
        self.parity = parity
        self.stop = stop
        self.delay = delay_ms / 1000.0
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        attrs = termios.tcgetattr(self.slave)
        attrs[4] = attrs[5] = termios.B9600
        termios.tcsetattr(self.slave, termios.TCSANOW, attrs)
        fl = fcntl.fcntl(self.master, fcntl.F_GETFL)
        fcntl.fcntl(self.master, fcntl.F_SETFL, fl | os.O_NONBLOCK)
        name = os.ttyname(self.slave)
        if os.path.islink(path):
            os.unlink(path)
        os.symlink(name, path)
        self.chars = []  # scheduled characters, ordered by start time
        self.starts = []
        self.busy_until = 0.0
        # receiver state: the line is idle (high) for this receiver from rx_from on
        self.rx_from = time.monotonic()
        self.due = None
        self.stats_reset()

    def stats_reset(self):
        self.sent = 0
        self.wire_s = 0.0
        self.delivered = 0
        self.rx_errors = 0
        self.dropped = 0
        self.flipped = 0

    def speed(self, which):
        try:
            a = termios.tcgetattr(self.master)
        except termios.error:
            return 9600
        return SPEEDS.get(a[5] if which == "out" else a[4], 38400)

    def level(self, t):
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return 1
        c = self.chars[i]
        if t >= c.end:
            return 1
        return c.bits[int((t - c.t0) / c.bit)]

    def char_at(self, t):
        i = bisect.bisect_right(self.starts, t) - 1
        return self.chars[i] if i >= 0 and self.chars[i].end > t else None

    def first_low(self, t):
        """Earliest time >= t at which this end drives the line low; None if it never does (yet)."""
        i = max(0, bisect.bisect_right(self.starts, t) - 1)
        while i < len(self.chars):
            c = self.chars[i]
            if c.clean and c.t0 >= t:
                return c.t0  # a start bit
            if c.end > t:
                k = max(0, int((t - c.t0) / c.bit)) if t > c.t0 else 0
                while k < len(c.bits):
                    if c.bits[k] == 0:
                        return max(t, c.t0 + k * c.bit)
                    k += 1
            i += 1
        return None

    def prune(self, before):
        n = bisect.bisect_left(self.starts, before)
        while n > 0 and self.chars[n - 1].end > before:
            n -= 1
        if n > 64:
            del self.chars[:n]
            del self.starts[:n]


class Line:
    def __init__(self, ends, drop, flip, seed):
        self.ends = ends
        self.drop = drop
        self.flip = flip
        self.rng = random.Random(seed)
        self.busy_until = 0.0
        self.stats_reset()

    def stats_reset(self):
        self.wire_s = 0.0
        self.collisions = 0
        self.since = time.monotonic()
        for e in self.ends:
            e.stats_reset()

    def transmit(self, end, data, now):
        bit = 1.0 / end.speed("out")
        t = max(now + end.delay, end.busy_until)
        others_busy = max((o.busy_until for o in self.ends if o is not end), default=0.0)
        start = t
        parity, stop = end.parity, end.stop
        chars, starts = end.chars, end.starts
        for byte in data:
            c = Char(t, bit, byte, parity, stop)
            t = c.end
            if c.t0 < others_busy:
                self.collisions += 1
            if self.drop and self.rng.random() < self.drop:
                end.dropped += 1
                continue
            if self.flip and self.rng.random() < self.flip:
                bits = c.bits
                bits[self.rng.randrange(len(bits))] ^= 1
                c.clean = False
                end.flipped += 1
            chars.append(c)
            starts.append(c.t0)
        end.sent += len(data)
        end.wire_s += t - start
        self.wire_s += max(0.0, t - max(start, self.busy_until))
        self.busy_until = max(self.busy_until, t)
        end.busy_until = t

    def line_level(self, rx, t):
        for e in self.ends:
            if e is not rx and e.level(t) == 0:
                return 0
        return 1

    def fast_char(self, rx, t0, bit, last):
        """The byte itself when one clean character at rx's own speed and framing starts exactly at t0
        and nothing else drives the line meanwhile: what the bit sampling would give, without it."""
        own = None
        for e in self.ends:
            if e is rx:
                continue
            c = e.char_at(t0)
            if c is not None and c.t0 == t0:
                if own is not None:
                    return None
                own = (e, c)
            elif e.first_low(t0) is not None and e.first_low(t0) <= last:
                return None
        if own is None:
            return None
        c = own[1]
        if not c.clean or c.bit != bit or c.parity != rx.parity:
            return None
        return c.byte

    def receive(self, rx, now):
        """Decodes what rx's UART makes of the line up to now; returns the bytes and sets rx.due."""
        out = bytearray()
        bit = 1.0 / rx.speed("in")
        nbits = 10 + (0 if rx.parity == "none" else 1)
        rx.due = None
        while True:
            lows = [e.first_low(rx.rx_from) for e in self.ends if e is not rx]
            lows = [t for t in lows if t is not None]
            if not lows:
                rx.rx_from = max(rx.rx_from, now)
                return out
            t0 = min(lows)
            last = t0 + (nbits - 0.5) * bit
            if last > now:
                rx.due = last
                if t0 > now:
                    rx.rx_from = max(rx.rx_from, now)
                return out
            fast = self.fast_char(rx, t0, bit, last)
            if fast is not None:
                rx.rx_from = last
                out.append(fast)
                continue
            if self.line_level(rx, t0 + 0.5 * bit) == 1:
                rx.rx_from = t0 + 0.5 * bit  # a glitch, not a start bit
                continue
            samples = [self.line_level(rx, t0 + (i + 0.5) * bit) for i in range(1, nbits)]
            rx.rx_from = last
            data = samples[:8]
            ok = samples[-1] == 1
            if rx.parity != "none":
                want = sum(data) & 1 if rx.parity == "even" else (sum(data) & 1) ^ 1
                ok = ok and samples[8] == want
            if not ok:
                rx.rx_errors += 1
                continue
            out.append(sum(b << i for i, b in enumerate(data)))


def stats(line):
    return {
        "seconds": round(time.monotonic() - line.since, 6),
        "wireMs": round(line.wire_s * 1000, 3),
        "collisions": line.collisions,
        "ends": [
            {
                "path": e.path,
                "sent": e.sent,
                "wireMs": round(e.wire_s * 1000, 3),
                "delivered": e.delivered,
                "rxErrors": e.rx_errors,
                "dropped": e.dropped,
                "flipped": e.flipped,
                "baud": e.speed("out"),
            }
            for e in line.ends
        ],
    }


def parse_port(spec):
    parts = spec.split(",")
    parity = parts[1] if len(parts) > 1 and parts[1] else "none"
    if parity not in ("none", "even", "odd"):
        raise SystemExit("parity must be none, even or odd: %s" % spec)
    stop = int(parts[2]) if len(parts) > 2 and parts[2] else 1
    if stop not in (1, 2):
        raise SystemExit("stop bits must be 1 or 2: %s" % spec)
    delay = float(parts[3]) if len(parts) > 3 and parts[3] else 0.0
    return parts[0], parity, stop, delay


def main():
    ap = argparse.ArgumentParser(description="An emulated RS485 line between pseudo-terminals.")
    ap.add_argument("--port", action="append", required=True, help="PATH[,parity[,stop[,delay_ms]]]")
    ap.add_argument("--drop", type=float, default=0.0, help="probability a character is lost")
    ap.add_argument("--flip", type=float, default=0.0, help="probability one bit of a character flips")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if len(args.port) < 2:
        raise SystemExit("a line needs at least two --port")
    try:
        # Wake-ups at 115200 are 87 µs apart: ask for a small timer slack (PR_SET_TIMERSLACK).
        ctypes.CDLL(None).prctl(29, 1000, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    ends = [End(*parse_port(p)) for p in args.port]
    line = Line(ends, args.drop, args.flip, args.seed)

    def cleanup(*_):
        for e in ends:
            try:
                os.unlink(e.path)
            except OSError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, cleanup)
    signal.signal(signal.SIGINT, cleanup)
    print("ready", flush=True)
    by_fd = {e.master: e for e in ends}
    stdin = sys.stdin.fileno()
    watch = list(by_fd) + [stdin]
    control = b""
    while True:
        dues = [e.due for e in ends if e.due is not None]
        timeout = max(0.0, min(dues) - time.monotonic()) if dues else None
        ready, _, _ = select.select(watch, [], [], timeout)
        now = time.monotonic()
        for fd in ready:
            if fd == stdin:
                chunk = os.read(stdin, 4096)
                if not chunk:
                    cleanup()
                control += chunk
                while b"\n" in control:
                    cmd, control = control.split(b"\n", 1)
                    if cmd.strip() == b"stats":
                        print(json.dumps(stats(line)), flush=True)
                    elif cmd.strip() == b"reset":
                        line.stats_reset()
                continue
            try:
                data = os.read(fd, 4096)
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.EIO):
                    continue
                raise
            line.transmit(by_fd[fd], data, now)
        now = time.monotonic()
        for e in ends:
            got = line.receive(e, now)
            if got:
                e.delivered += len(got)
                try:
                    os.write(e.master, bytes(got))
                except OSError as err:
                    if err.errno not in (errno.EAGAIN, errno.EIO):
                        raise
        oldest = min(e.rx_from for e in ends)
        for e in ends:
            e.prune(oldest)


if __name__ == "__main__":
    main()
