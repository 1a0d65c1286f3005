"""Shared pieces of the Python peers: the tick file reader and the result line.

The tick file is the CSV written by bench/lib/ticks.ts:
    time,instrument,bid,ask,bidSize,askSize,last,volume
(time in epoch milliseconds, prices in CNY/g with two decimals, sizes in lots, volume cumulative per trading
day in lots).
"""
import json
import sys


def read_ticks(path: str, limit: int | None = None) -> list[tuple[int, float, float, int, int, float, int]]:
    """Returns (time_ms, bid, ask, bid_size, ask_size, last, traded) tuples, in file order; `traded` is the
    lots traded at that snapshot (the difference of the cumulative day volume)."""
    out = []
    prev = 0
    with open(path, encoding="ascii") as f:
        header = f.readline().strip()
        if header != "time,instrument,bid,ask,bidSize,askSize,last,volume":
            raise SystemExit(f"not a tick file: {header!r}")
        for line in f:
            ts, _inst, bid, ask, bsz, asz, last, vol = line.rstrip("\n").split(",")
            cum = int(vol)
            traded = cum - prev if cum >= prev else cum  # the day volume restarts at a new trading day
            prev = cum
            out.append((int(ts), float(bid), float(ask), int(bsz), int(asz), float(last), traded))
            if limit is not None and len(out) >= limit:
                break
    return out


def emit(result: dict) -> None:
    """The last stdout line of every peer is one JSON object; the TypeScript side reads only that line."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
