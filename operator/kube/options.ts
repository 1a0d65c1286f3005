/**
 * `{ ...defaults, ...options }` where options whose value is `undefined` do not erase the default
 * (callers pass optional settings through as `undefined`).
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out as D & O;
}
