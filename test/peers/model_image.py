#!/usr/bin/python3
"""Register images for pymodbus, built in Python from the register maps alone (resources/devices/*.json).

An oracle outside the project's TypeScript codec: every value is packed here with Python's struct, in
the model's type and word order, so a wrong decoder in the engine cannot hide behind an equally wrong
encoder. Generic over the model files: a new model joins by being a JSON file in resources/devices/
with the schema's register types; nothing here names a model.

Each model gets one unit id (1, 2, … in file-name order). The identification register holds the
documented id value (the first `values` entry, the start of the `range`, or the `text`). Each signal
holds a distinct raw value that is exact in its type; the expected reading is raw × scale.

Output (stdout, JSON): {"units": {unit: {"hr": {...}, "ir": {...}}}, "models": {id: {"unit": n,
"identification": value, "expected": {key: value}}}, "skipped": {id: [reasons]}}
"""
import json
import struct
import sys
from pathlib import Path

FORMATS = {
    "int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I",
    "int64": ">q", "uint64": ">Q", "float32": ">f", "float64": ">d",
}


def words_of(raw, typ, order, nwords=None):
    """Packs a raw value into 16-bit words, most significant word first unless the order is 'lsw'."""
    if typ == "ascii":
        n = nwords or 1
        data = str(raw).encode("latin1")[: 2 * n].ljust(2 * n, b"\0")
        return [int.from_bytes(data[i : i + 2], "big") for i in range(0, 2 * n, 2)]
    data = struct.pack(FORMATS[typ], raw)
    words = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
    return list(reversed(words)) if order == "lsw" else words


def raw_value(typ, i):
    """A distinct raw value for the i-th signal, exact in its type; signed types get negatives too."""
    if typ in ("float32", "float64"):
        return 100 + i * 7.25
    base = 100 + i * 7
    return -base if typ.startswith("int") and i % 3 == 1 else base


def build(files):
    units, models, skipped = {}, {}, {}
    for n, path in enumerate(files, start=1):
        m = json.loads(Path(path).read_text(encoding="utf8"))
        if not set(m.get("protocols", [])) & {"rtu", "tcp"}:
            continue
        spaces = {3: {}, 4: {}}
        used = {3: set(), 4: set()}
        reasons = []

        def put(fc, reg, words):
            span = set(range(reg, reg + len(words)))
            if span & used[fc]:
                return False
            used[fc] |= span
            for k, w in enumerate(words):
                spaces[fc][reg + k] = w
            return True

        # A model whose maker documents no id register has none to serve (its value is then None).
        ident = m.get("identification")
        documented = None
        if ident:
            match = ident["match"][0]
            documented = match["values"][0] if "values" in match else match["range"][0] if "range" in match else match["text"]
            put(ident["fc"], ident["register"], words_of(documented, ident["type"], m["wordOrder"], ident.get("words")))
        expected = {}
        for i, s in enumerate(m["signals"]):
            typ = s["type"]
            if typ not in FORMATS:
                reasons.append(f"{s['key']}: type {typ} has no number to check")
                continue
            raw = raw_value(typ, i)
            if raw in s.get("invalidRaw", []) or ("invalidFrom" in s and raw >= s["invalidFrom"]):
                raw = raw_value(typ, i + 1000)
            if not put(s["fc"], s["register"], words_of(raw, typ, s.get("wordOrder", m["wordOrder"]))):
                reasons.append(f"{s['key']}: register {s['register']} overlaps another signal")
                continue
            expected[s["key"]] = raw * s.get("scale", 1)
        units[str(n)] = {
            "hr": {str(r): [w] for r, w in sorted(spaces[3].items())},
            "ir": {str(r): [w] for r, w in sorted(spaces[4].items())},
        }
        models[m["id"]] = {"unit": n, "identification": documented, "expected": expected}
        if reasons:
            skipped[m["id"]] = reasons
    return {"units": units, "models": models, "skipped": skipped}


def main():
    folder = Path(sys.argv[1])
    files = sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))
    json.dump(build(files), sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
