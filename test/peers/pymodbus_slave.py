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
        StartSerialServer(context=context, framer=ModbusRtuFramer, port=args.serial, baudrate=9600, timeout=0.005)
    else:
        StartTcpServer(context=context, address=("127.0.0.1", args.tcp))


if __name__ == "__main__":
    sys.exit(main())
