/** The pure matching core: price-time-priority order books. See engine.ts for its invariants. */
export * from './engine.ts';
