import { describe, expect, it } from 'vitest';
import { scanFrame } from './guard.ts';
import { encodeFix } from './raw-client.ts';

const msg = encodeFix([
  [35, 'D'],
  [49, 'A'],
  [56, 'COUNTER'],
  [34, 2],
  [11, 'x'],
]);

describe('scanFrame', () => {
  it('accepts a valid frame and waits for incomplete ones', () => {
    const b = Buffer.from(msg + msg, 'latin1');
    expect(scanFrame(b)).toEqual({ kind: 'frame', end: msg.length });
    expect(scanFrame(Buffer.from(msg.slice(0, 20), 'latin1')).kind).toBe('incomplete');
  });
  it('drops noise, bad lengths, bad checksums and non-numeric tags up to the next frame', () => {
    const noise = Buffer.from(`hello${msg}`, 'latin1');
    expect(scanFrame(noise)).toEqual({ kind: 'garbled', skip: 5 });
    const badLen = msg.replace(/9=\d+/, '9=7');
    expect(scanFrame(Buffer.from(badLen + msg, 'latin1')).kind).toBe('garbled');
    const badSum = msg.replace(/10=\d{3}/, '10=999');
    expect(scanFrame(Buffer.from(badSum, 'latin1')).kind).toBe('garbled');
    const badTag = encodeFix([
      [35, 'D'],
      [34, 2],
    ]).replace('34=', 'ab=');
    expect(scanFrame(Buffer.from(badTag, 'latin1')).kind).toBe('garbled');
  });
});
