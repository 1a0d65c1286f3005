import { describe, expect, it } from 'vitest';
import { allocate, intToIp, ipToInt, parsePool, peerCapacity, serverAddress } from './access-address.ts';

describe('tunnel address allocation', () => {
  const pool = parsePool('10.77.0.0/24');
  it('parses pools and rejects bad ones', () => {
    expect(serverAddress(pool)).toBe('10.77.0.1/24');
    expect(peerCapacity(pool)).toBe(253);
    expect(intToIp(ipToInt('10.77.1.255'))).toBe('10.77.1.255');
    expect(() => parsePool('10.77.0.1/24')).toThrow(/network address/);
    expect(() => parsePool('10.77.0.0/31')).toThrow(/prefix/);
    expect(() => parsePool('10.77.0/24')).toThrow();
    expect(() => ipToInt('10.0.0.256')).toThrow();
  });
  it('keeps existing assignments, gives newcomers the lowest free address, releases the gone', () => {
    const existing = new Map([
      ['b', '10.77.0.3'],
      ['gone', '10.77.0.2'],
    ]);
    const { assigned, exhausted } = allocate(pool, existing, ['a', 'b', 'c']);
    expect(exhausted).toEqual([]);
    expect(assigned.get('b')).toBe('10.77.0.3');
    expect(assigned.get('a')).toBe('10.77.0.2');
    expect(assigned.get('c')).toBe('10.77.0.4');
    expect(assigned.has('gone')).toBe(false);
  });
  it('resolves colliding or out-of-range persisted entries without duplicates', () => {
    const existing = new Map([
      ['x', '10.77.0.5'],
      ['y', '10.77.0.5'],
      ['z', '10.77.0.1'],
    ]);
    const { assigned } = allocate(pool, existing, ['x', 'y', 'z']);
    expect(assigned.get('x')).toBe('10.77.0.5');
    expect(new Set(assigned.values()).size).toBe(3);
    expect(assigned.get('z')).not.toBe('10.77.0.1');
  });
  it('reports exhaustion instead of failing', () => {
    const tiny = parsePool('10.77.0.0/30'); // one peer address
    const { assigned, exhausted } = allocate(tiny, new Map(), ['a', 'b']);
    expect([...assigned]).toEqual([['a', '10.77.0.2']]);
    expect(exhausted).toEqual(['b']);
  });
  it('never hands out one address twice over many random rounds', () => {
    let existing = new Map<string, string>();
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const names = new Set<string>();
    for (let round = 0; round < 200; round++) {
      if (rnd() < 0.6 || names.size === 0) names.add(`n${round}`);
      else names.delete([...names][Math.floor(rnd() * names.size)] as string);
      const { assigned } = allocate(pool, existing, [...names]);
      for (const [n, ip] of existing) if (names.has(n)) expect(assigned.get(n)).toBe(ip);
      expect(new Set(assigned.values()).size).toBe(assigned.size);
      existing = assigned;
    }
  });
});
