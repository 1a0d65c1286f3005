"""NautilusTrader peer: Aurum's sample strategy (examples/strategies/ema-cross.js, tick mode) as a Python
Strategy using NautilusTrader's built-in ExponentialMovingAverage indicators (PriceType.LAST, fed by trade
ticks), replayed by a BacktestEngine over one TradeTick per snapshot of the benchmark tick file (price = last,
size = the snapshot's volume, at least 1).

Same rule as bench/lib/ema-cross.ts (see vnpy_ema_cross.py). Differences that do not change the work per tick:
the built-in EMA computes `alpha * x + (1 - alpha) * prev` on CNY floats (Aurum: `prev + k * (x - prev)` on
integer cents), so a near-tie can rarely flip a signal; orders are MARKET orders, which Nautilus' simulated
venue fills at the last trade price, where Aurum and vn.py send a marketable limit (SHFE has no market orders).

Like Aurum's strategy it logs a line per decision and per fill (`self.log.info`; the logging level is ERROR,
so NautilusTrader drops them: it keeps no log in memory to report).

Two regions are timed (bench/lib/replay-regions.ts): the replay, `engine.run(streaming=True)`, and the
report: `engine.end()` (stops the engines and runs the post-run portfolio analysis, PnL, returns and general
statistics, which a plain `engine.run()` includes) followed by the trader's order fills, positions and account
reports, the DataFrames NautilusTrader's backtest examples print after a run.

Usage: python nautilus_ema_cross.py TICK_FILE FAST SLOW [LIMIT]
Prints one JSON line: ticks, replay and report seconds (wall and CPU), signals (crossovers acted on), orders,
fills.
"""
import gc
import sys
import time
import warnings
from decimal import Decimal

import pandas as pd
from bench_common import emit, read_ticks
from nautilus_trader.backtest.config import BacktestEngineConfig
from nautilus_trader.backtest.engine import BacktestEngine
from nautilus_trader.config import LoggingConfig, StrategyConfig
from nautilus_trader.indicators import ExponentialMovingAverage
from nautilus_trader.model.currencies import CNY
from nautilus_trader.model.data import TradeTick
from nautilus_trader.model.enums import AccountType, AssetClass, OmsType, OrderSide, PriceType
from nautilus_trader.model.events import OrderFilled
from nautilus_trader.model.identifiers import InstrumentId, Symbol, TraderId, Venue
from nautilus_trader.model.instruments import FuturesContract
from nautilus_trader.model.objects import Money, Price, Quantity
from nautilus_trader.persistence.wranglers import TradeTickDataWrangler
from nautilus_trader.trading.strategy import Strategy

warnings.filterwarnings("ignore", category=Warning, module=r"nautilus_trader|pandas")
SHFE = Venue("SHFE")
AU = InstrumentId(Symbol("au2606"), SHFE)


class EmaCrossConfig(StrategyConfig, frozen=True):
    instrument_id: InstrumentId
    fast: int = 12
    slow: int = 26
    lots: int = 1


class EmaCross(Strategy):
    def __init__(self, config: EmaCrossConfig) -> None:
        super().__init__(config)
        self.fast_ema = ExponentialMovingAverage(config.fast, price_type=PriceType.LAST)
        self.slow_ema = ExponentialMovingAverage(config.slow, price_type=PriceType.LAST)
        self.prev_diff = None
        self.signals = 0
        self.orders = 0
        self.fills = 0

    def on_start(self) -> None:
        self.register_indicator_for_trade_ticks(self.config.instrument_id, self.fast_ema)
        self.register_indicator_for_trade_ticks(self.config.instrument_id, self.slow_ema)
        self.subscribe_trade_ticks(self.config.instrument_id)

    def on_trade_tick(self, tick: TradeTick) -> None:
        # Registered indicators are updated before this handler runs.
        diff = self.fast_ema.value - self.slow_ema.value
        prev = self.prev_diff
        self.prev_diff = diff
        if not self.slow_ema.initialized or prev is None:
            return
        if prev <= 0 < diff:
            self.go(OrderSide.BUY)
            self.log.info(f"fast crossed above slow: long at {tick.price}")
        elif prev >= 0 > diff:
            self.go(OrderSide.SELL)
            self.log.info(f"fast crossed below slow: short at {tick.price}")

    def go(self, side: OrderSide) -> None:
        self.signals += 1
        self.cancel_all_orders(self.config.instrument_id)
        net = int(self.portfolio.net_position(self.config.instrument_id))
        towards = 1 if side == OrderSide.BUY else -1
        if net * towards < 0:
            # Close the opposite position first, as Aurum's strategy does (cover / sell). HEDGING OMS: every
            # opening is its own position, closed by id (NETTING's position snapshots grow quadratically in
            # this version; see the module docstring).
            for position in self.cache.positions_open(instrument_id=self.config.instrument_id):
                self.close_position(position)
                self.orders += 1
        if net * towards <= 0:
            order = self.order_factory.market(
                instrument_id=self.config.instrument_id,
                order_side=side,
                quantity=Quantity.from_int(self.config.lots),
            )
            self.submit_order(order)
            self.orders += 1

    def on_order_filled(self, event: OrderFilled) -> None:
        self.fills += 1
        self.log.info(f"filled {event.order_side} {event.last_qty} @ {event.last_px}")


def gold_future() -> FuturesContract:
    ts = pd.Timestamp("2025-06-16", tz="UTC").value
    return FuturesContract(
        instrument_id=AU,
        raw_symbol=Symbol("au2606"),
        asset_class=AssetClass.COMMODITY,
        exchange="XSGE",
        currency=CNY,
        price_precision=2,
        price_increment=Price.from_str("0.02"),
        multiplier=Quantity.from_int(1000),
        lot_size=Quantity.from_int(1),
        underlying="AU",
        activation_ns=ts,
        expiration_ns=pd.Timestamp("2026-06-15", tz="UTC").value,
        ts_event=ts,
        ts_init=ts,
        margin_init=Decimal("0.16"),
        margin_maint=Decimal("0.16"),
    )


def main() -> None:
    path, fast, slow = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    t0 = time.perf_counter()
    rows = read_ticks(path, limit)
    instrument = gold_future()
    df = pd.DataFrame(
        {
            "price": [r[5] for r in rows],
            "quantity": [float(max(r[6], 1)) for r in rows],
            "trade_id": [str(i) for i in range(len(rows))],
        },
        index=pd.to_datetime([r[0] for r in rows], unit="ms", utc=True),
    )
    df.index.name = "timestamp"
    ticks = TradeTickDataWrangler(instrument).process(df)

    engine = BacktestEngine(
        config=BacktestEngineConfig(
            trader_id=TraderId("BENCH-001"),
            # Only errors: the other engines log nothing per tick either.
            logging=LoggingConfig(log_level="ERROR"),
        ),
    )
    engine.add_venue(
        venue=SHFE,
        oms_type=OmsType.HEDGING,
        account_type=AccountType.MARGIN,
        base_currency=CNY,
        starting_balances=[Money(100_000_000, CNY)],
    )
    engine.add_instrument(instrument)
    engine.add_data(ticks)
    strategy = EmaCross(EmaCrossConfig(instrument_id=AU, fast=fast, slow=slow, lots=1))
    engine.add_strategy(strategy)
    load_s = time.perf_counter() - t0

    # Every engine starts its timed region on a collected heap: the load's garbage is not the replay's.
    gc.collect()
    c1 = time.process_time()
    t1 = time.perf_counter()
    engine.run(streaming=True)
    replay_s = time.perf_counter() - t1
    replay_cpu = time.process_time() - c1
    c2 = time.process_time()
    t2 = time.perf_counter()
    engine.end()
    end_s = time.perf_counter() - t2
    fills_report = engine.trader.generate_order_fills_report()
    positions_report = engine.trader.generate_positions_report()
    account_report = engine.trader.generate_account_report(SHFE)
    report_s = time.perf_counter() - t2
    report_cpu = time.process_time() - c2
    import nautilus_trader

    emit({
        "engine": "NautilusTrader",
        "version": f"nautilus_trader {nautilus_trader.__version__}",
        "ticks": len(ticks),
        "loadSeconds": load_s,
        "replaySeconds": replay_s,
        "replayCpuSeconds": replay_cpu,
        "reportSeconds": report_s,
        "reportCpuSeconds": report_cpu,
        "report": "end() (post-run analysis) + order fills, positions and account reports",
        "endSeconds": end_s,
        "reportRows": [len(fills_report), len(positions_report), len(account_report)],
        "signals": strategy.signals,
        "orders": strategy.orders,
        "fills": strategy.fills,
    })
    engine.dispose()


if __name__ == "__main__":
    main()
