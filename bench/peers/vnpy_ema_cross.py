"""vn.py peer: Aurum's sample strategy (examples/strategies/ema-cross.js, tick mode) ported line for line
to a vn.py CtaTemplate, replayed by vnpy_ctastrategy's BacktestingEngine in tick mode over the benchmark tick
file. The rule (also bench/lib/ema-cross.ts):
- price = the last trade price, in integer cents (as Aurum sees it);
- EMA step `prev + k * (price - prev)`, k = 2 / (length + 1), seeded with the first price;
- warm-up: no signal before the slow EMA has `slow` samples;
- previous diff <= 0 and diff > 0: go long; previous diff >= 0 and diff < 0: go short;
- going long: cancel all, cover any short, buy `lots` if not long, at last + `slippage_ticks` ticks (a
  marketable limit: SHFE has no market orders); going short is the mirror image.

Like Aurum's strategy it writes a log line per decision and per fill (`write_log`: vn.py's backtester keeps
each, timestamped, in `engine.logs`, as Aurum's keeps them in its report).

Two regions are timed (bench/lib/replay-regions.ts): the replay, `run_backtesting()`, and the report a vn.py
user computes after it, `calculate_result()` (the daily mark-to-market PnL) and `calculate_statistics()`
(balance, drawdown, returns, Sharpe ratio...) with the printing switched off.

Usage: python vnpy_ema_cross.py TICK_FILE FAST SLOW [LIMIT]
Prints one JSON line: ticks, replay and report seconds (wall and CPU), signals (crossovers acted on), orders,
fills.
"""
import gc
import sys
import time
from datetime import datetime, timezone

from bench_common import emit, read_ticks
from vnpy.trader.constant import Exchange, Interval
from vnpy.trader.object import TickData
from vnpy_ctastrategy import CtaTemplate
from vnpy_ctastrategy.backtesting import BacktestingEngine, BacktestingMode

TICK = 2  # cents: 0.02 CNY/g


def ema(prev, price, length):
    if prev is None:
        return price
    k = 2 / (length + 1)
    return prev + k * (price - prev)


class EmaCrossStrategy(CtaTemplate):
    """vn.py's ArrayManager works on bars; the sample strategy's tick mode needs a hand EMA, as here."""

    author = "aurum-bench"
    fast = 12
    slow = 26
    lots = 1
    slippage_ticks = 2
    parameters = ["fast", "slow", "lots", "slippage_ticks"]
    variables = ["signals", "orders", "fills"]

    def __init__(self, cta_engine, strategy_name, vt_symbol, setting):
        super().__init__(cta_engine, strategy_name, vt_symbol, setting)
        self.fast_ema = None
        self.slow_ema = None
        self.samples = 0
        self.signals = 0
        self.orders = 0
        self.fills = 0

    def on_init(self):
        pass

    def on_start(self):
        pass

    def on_tick(self, tick: TickData):
        price = round(tick.last_price * 100)  # cents, exact for 2-decimal prices
        prev_diff = None if self.fast_ema is None else self.fast_ema - self.slow_ema
        self.fast_ema = ema(self.fast_ema, price, self.fast)
        self.slow_ema = ema(self.slow_ema, price, self.slow)
        self.samples += 1
        if self.samples < self.slow or prev_diff is None:
            return
        diff = self.fast_ema - self.slow_ema
        if prev_diff <= 0 and diff > 0:
            self.go_long(price)
        elif prev_diff >= 0 and diff < 0:
            self.go_short(price)

    def go_long(self, price):
        self.signals += 1
        px = (price + self.slippage_ticks * TICK) / 100
        self.cancel_all()
        if self.pos < 0:
            self.cover(px, -self.pos)
            self.orders += 1
        if self.pos <= 0:
            self.buy(px, self.lots)
            self.orders += 1
        self.write_log(f"fast crossed above slow: long at {price / 100}")

    def go_short(self, price):
        self.signals += 1
        px = (price - self.slippage_ticks * TICK) / 100
        self.cancel_all()
        if self.pos > 0:
            self.sell(px, self.pos)
            self.orders += 1
        if self.pos >= 0:
            self.short(px, self.lots)
            self.orders += 1
        self.write_log(f"fast crossed below slow: short at {price / 100}")

    def on_trade(self, trade):
        self.fills += 1
        self.write_log(f"filled {trade.direction.value} {trade.offset.value} {trade.volume} @ {trade.price}")

    def on_order(self, order):
        pass


def main() -> None:
    path, fast, slow = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    t0 = time.perf_counter()
    rows = read_ticks(path, limit)
    ticks = [
        TickData(
            gateway_name="BACKTESTING",
            symbol="au2606",
            exchange=Exchange.SHFE,
            datetime=datetime.fromtimestamp(ts / 1000, tz=timezone.utc),
            volume=vol,
            last_price=last,
            last_volume=vol,
            bid_price_1=bid,
            ask_price_1=ask,
            bid_volume_1=bsz,
            ask_volume_1=asz,
        )
        for ts, bid, ask, bsz, asz, last, vol in rows
    ]
    load_s = time.perf_counter() - t0

    engine = BacktestingEngine()
    engine.output = lambda msg: None  # progress and statistics printing is neither replay nor report
    engine.set_parameters(
        vt_symbol="au2606.SHFE",
        interval=Interval.TICK,
        start=ticks[0].datetime,
        end=ticks[-1].datetime,
        rate=0,
        slippage=0,
        size=1000,
        pricetick=0.02,
        capital=10_000_000,
        mode=BacktestingMode.TICK,
    )
    engine.add_strategy(EmaCrossStrategy, {"fast": fast, "slow": slow, "lots": 1, "slippage_ticks": 2})
    engine.history_data = ticks

    # Every engine starts its timed region on a collected heap: the load's garbage is not the replay's.
    gc.collect()
    c1 = time.process_time()
    t1 = time.perf_counter()
    engine.run_backtesting()
    replay_s = time.perf_counter() - t1
    replay_cpu = time.process_time() - c1
    c2 = time.process_time()
    t2 = time.perf_counter()
    engine.calculate_result()
    statistics = engine.calculate_statistics(output=False)
    report_s = time.perf_counter() - t2
    report_cpu = time.process_time() - c2
    s = engine.strategy
    import vnpy, vnpy_ctastrategy  # noqa: E401 (versions for the report)

    emit({
        "engine": "vn.py",
        "version": f"vnpy {vnpy.__version__}, vnpy_ctastrategy {vnpy_ctastrategy.__version__}",
        "ticks": len(ticks),
        "loadSeconds": load_s,
        "replaySeconds": replay_s,
        "replayCpuSeconds": replay_cpu,
        "reportSeconds": report_s,
        "reportCpuSeconds": report_cpu,
        "report": "calculate_result + calculate_statistics",
        "reportTrades": int(statistics.get("total_trade_count", 0)),
        "logLines": len(engine.logs),
        "signals": s.signals,
        "orders": s.orders,
        "fills": s.fills,
    })


if __name__ == "__main__":
    main()
