import { describe, expect, it } from 'vitest';
import { withFinalizer, withoutFinalizer } from './finalizers.ts';

describe('finalizer lists', () => {
  it('adds once and keeps other finalizers', () => {
    expect(withFinalizer(['other'], 'aurum.dev/x')).toEqual(['other', 'aurum.dev/x']);
    expect(withFinalizer(['aurum.dev/x'], 'aurum.dev/x')).toEqual(['aurum.dev/x']);
    expect(withFinalizer(undefined, 'a')).toEqual(['a']);
  });
  it('removes only its own', () => {
    expect(withoutFinalizer(['other', 'aurum.dev/x'], 'aurum.dev/x')).toEqual(['other']);
    expect(withoutFinalizer(undefined, 'a')).toEqual([]);
  });
});
