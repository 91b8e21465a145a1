#!/usr/bin/python3
"""A pymodbus slave for integration tests: RTU on a serial path or Modbus TCP on a port.

Register contents come from a JSON file: {"units": {"1": {"hr": {"0": [words…]}, "ir": {...}}}}.
Blocks are sparse: each key is a start address with its words; all other addresses answer with
exception 2 (pymodbus validates against the block bounds). Absent unit ids get no reply.
"""
import argparse
import json
import logging
import sys

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from pymodbus.server import StartSerialServer, StartTcpServer
from pymodbus.transaction import ModbusRtuFramer
from pymodbus.utilities import checkCRC


def request_length(buf, at):
    """Length of the RTU request starting at `at`, from its function code; None if unknown or short."""
    if len(buf) - at < 2:
        return None
    fc = buf[at + 1]
    if fc in (1, 2, 3, 4, 5, 6, 8):
        return 8
    if fc in (15, 16):
        return 9 + buf[at + 6] if len(buf) - at > 6 else None
    if fc == 17:
        return 4
    if fc == 43:
        return 7
    return None


class ResyncRtuFramer(ModbusRtuFramer):
    """pymodbus 3.0 frames requests by length from the first byte it holds, so one garbled or foreign
    frame on a shared line (another slave's reply, a request at another baud rate) leaves it out of
    step, waiting for bytes that never come. A real slave finds the next frame; this one takes the
    first request with a good CRC in what it holds, wherever it starts."""

    def processIncomingPacket(self, data, callback, unit, **kwargs):  # pylint: disable=arguments-differ
        units = unit if isinstance(unit, (list, tuple)) else [unit]
        self._buffer += data
        while True:
            found = None
            for at in range(len(self._buffer) - 3):
                n = request_length(self._buffer, at)
                if n and at + n <= len(self._buffer):
                    frame = self._buffer[at : at + n]
                    if checkCRC(frame[:-2], (frame[-2] << 8) | frame[-1]):
                        found = at
                        break
            if found is None:
                # A request may still be arriving; nothing longer than one frame is worth keeping.
                self._buffer = self._buffer[-260:]
                return
            self._buffer = self._buffer[found:]
            self.populateHeader()
            if self._validate_unit_id(units, kwargs.get("single", False)):
                self._process(callback)
            else:
                self.advanceFrame()


def block(spec):
    values = {}
    for start, words in (spec or {}).items():
        for i, w in enumerate(words):
            values[int(start) + i] = int(w)
    if not values:
        values = {0xFFFE: 0}
    return ModbusSparseDataBlock(values)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--serial")
    ap.add_argument("--tcp", type=int)
    ap.add_argument("--map", required=True)
    ap.add_argument("--baud", type=int, default=9600)
    ap.add_argument("--parity", choices=["N", "E", "O"], default="N")
    args = ap.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    with open(args.map, encoding="utf8") as f:
        spec = json.load(f)
    slaves = {}
    for unit, regs in spec["units"].items():
        slaves[int(unit)] = ModbusSlaveContext(
            hr=block(regs.get("hr")), ir=block(regs.get("ir")), zero_mode=True
        )
    context = ModbusServerContext(slaves=slaves, single=False)
    print("ready", flush=True)
    if args.serial:
        StartSerialServer(
            context=context,
            framer=ResyncRtuFramer,
            port=args.serial,
            baudrate=args.baud,
            parity=args.parity,
            timeout=0.005,
        )
    else:
        StartTcpServer(context=context, address=("127.0.0.1", args.tcp))


if __name__ == "__main__":
    sys.exit(main())
