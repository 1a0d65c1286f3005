// The two charts, on lightweight-charts (served from node_modules at /vendor): the price (1-minute candles or a
// tick line) and the equity curve.
import {
  AreaSeries,
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  createChart,
  LineSeries,
} from '/vendor/lightweight-charts.mjs';
import { chartTime } from './format.js';

const base = (el) => ({
  autoSize: true,
  layout: {
    background: { type: ColorType.Solid, color: '#10151d' },
    textColor: '#7b8594',
    fontSize: 11,
    attributionLogo: false,
  },
  grid: { vertLines: { color: '#161d28' }, horzLines: { color: '#161d28' } },
  rightPriceScale: { borderColor: '#1f2733' },
  timeScale: { borderColor: '#1f2733', timeVisible: true, secondsVisible: false },
  crosshair: { mode: CrosshairMode.Normal },
  handleScroll: true,
  handleScale: true,
  width: el.clientWidth,
  height: el.clientHeight,
});

/**
 * The price chart in one of two modes: `bars` (1-minute candles) or `ticks` (a line of last prices, one point
 * per second — lively right after a start, when there are only a few bars). Only the shown series holds data,
 * so the two never share the time scale.
 */
export function priceChart(el) {
  const chart = createChart(el, base(el));
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: '#22b07d',
    downColor: '#e5534b',
    borderVisible: false,
    wickUpColor: '#22b07d',
    wickDownColor: '#e5534b',
    priceFormat: { type: 'price', precision: 2, minMove: 0.02 },
  });
  const line = chart.addSeries(LineSeries, {
    color: '#d9aa3b',
    lineWidth: 2,
    priceFormat: { type: 'price', precision: 2, minMove: 0.02 },
  });
  const toBar = (b) => ({
    time: chartTime(b.time),
    open: +b.open,
    high: +b.high,
    low: +b.low,
    close: +b.close,
  });
  let mode = 'bars';
  let bars = [];
  const ticks = [];
  const showRecent = (n) => chart.timeScale().setVisibleLogicalRange({ from: n - 120, to: n + 3 });
  const draw = () => {
    if (mode === 'bars') {
      line.setData([]);
      candles.setData(bars);
      showRecent(bars.length);
    } else {
      candles.setData([]);
      line.setData(ticks);
      showRecent(ticks.length);
    }
  };
  return {
    get mode() {
      return mode;
    },
    setMode(m) {
      mode = m;
      draw();
    },
    setBars(list) {
      bars = list.map(toBar);
      ticks.length = 0;
      draw();
    },
    bar(b) {
      const v = toBar(b);
      if (bars.length && bars.at(-1).time === v.time) bars[bars.length - 1] = v;
      else if (!bars.length || bars.at(-1).time < v.time) bars.push(v);
      else return;
      if (mode === 'bars') candles.update(v);
    },
    tick(t) {
      const p = { time: chartTime(t.time), value: +t.lastPrice };
      const last = ticks.at(-1);
      if (last && p.time < last.time) return;
      if (last && last.time === p.time) ticks[ticks.length - 1] = p;
      else ticks.push(p);
      if (ticks.length > 5000) ticks.splice(0, 1000);
      if (mode === 'ticks') line.update(p);
    },
  };
}

export function equityChart(el) {
  const grouped = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const chart = createChart(el, {
    ...base(el),
    timeScale: { ...base(el).timeScale, secondsVisible: true },
    localization: { priceFormatter: (p) => grouped.format(p) },
  });
  const area = chart.addSeries(AreaSeries, {
    lineColor: '#d9aa3b',
    topColor: 'rgba(217,170,59,.28)',
    bottomColor: 'rgba(217,170,59,0)',
    lineWidth: 2,
    priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
  });
  let lastTime = 0;
  const point = (p) => ({ time: chartTime(p.time), value: +p.equity });
  return {
    set(points) {
      // One point per second at most: the library needs strictly increasing times.
      const byTime = new Map(points.map((p) => [chartTime(p.time), point(p)]));
      const data = [...byTime.values()];
      area.setData(data);
      lastTime = data.at(-1)?.time ?? 0;
      chart.timeScale().fitContent();
    },
    add(p) {
      const pt = point(p);
      if (pt.time < lastTime) return;
      lastTime = pt.time;
      area.update(pt);
    },
  };
}
