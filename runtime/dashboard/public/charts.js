// The two charts, on lightweight-charts (served from node_modules at /vendor): 1-minute candles with the live
// last price, and the equity curve.
import {
  AreaSeries,
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  createChart,
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
  const toBar = (b) => ({
    time: chartTime(b.time),
    open: +b.open,
    high: +b.high,
    low: +b.low,
    close: +b.close,
  });
  return {
    setBars(bars) {
      candles.setData(bars.map(toBar));
      chart.timeScale().fitContent();
    },
    bar(b) {
      candles.update(toBar(b));
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
