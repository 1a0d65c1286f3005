/**
 * Strategy parameters: validation against the strategy's declarations and the JSON Schema shown to the
 * investor. Pure.
 */
import type { ParamSpec } from './sdk.ts';

/** Validates `input` against `specs`, filling defaults. Unknown names are errors (typos must not pass). */
export function validateParams(
  specs: Record<string, ParamSpec> | undefined,
  input: Record<string, unknown>,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const s = specs ?? {};
  const out: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const k of Object.keys(input)) if (!(k in s)) errors.push(`unknown parameter "${k}"`);
  for (const [k, spec] of Object.entries(s)) {
    const v = k in input ? input[k] : spec.default;
    if (v === undefined) {
      errors.push(`"${k}" is required`);
      continue;
    }
    const bad = problem(spec, v);
    if (bad) errors.push(`"${k}" ${bad}`);
    else out[k] = v;
  }
  return errors.length ? { ok: false, message: errors.join('; ') } : { ok: true, value: out };
}

function problem(spec: ParamSpec, v: unknown): string | undefined {
  switch (spec.type) {
    case 'integer':
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        return `must be an integer, got ${JSON.stringify(v)}`;
      break;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a number, got ${JSON.stringify(v)}`;
      break;
    case 'string':
      if (typeof v !== 'string') return `must be a string, got ${JSON.stringify(v)}`;
      break;
    case 'boolean':
      if (typeof v !== 'boolean') return `must be true or false, got ${JSON.stringify(v)}`;
      break;
    default:
      return `has an unknown type "${String((spec as ParamSpec).type)}"`;
  }
  if (typeof v === 'number') {
    if (spec.minimum !== undefined && v < spec.minimum) return `must be >= ${spec.minimum}, got ${v}`;
    if (spec.maximum !== undefined && v > spec.maximum) return `must be <= ${spec.maximum}, got ${v}`;
  }
  if (spec.enum && !spec.enum.includes(v)) return `must be one of ${JSON.stringify(spec.enum)}`;
  return undefined;
}

/** The declarations as a JSON Schema object (for the API and the dashboard). */
export function paramsJsonSchema(specs: Record<string, ParamSpec> | undefined): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(specs ?? {})) properties[k] = { ...s };
  return { type: 'object', additionalProperties: false, properties };
}

/** Checks the declarations themselves (a strategy module's `params` export). */
export function checkParamSpecs(specs: unknown): string | undefined {
  if (specs === undefined) return undefined;
  if (typeof specs !== 'object' || specs === null)
    return '`params` must be an object of parameter declarations';
  for (const [k, s] of Object.entries(specs)) {
    const t = (s as ParamSpec | undefined)?.type;
    if (!['integer', 'number', 'string', 'boolean'].includes(t as string))
      return `parameter "${k}" needs type integer, number, string or boolean`;
    if ((s as ParamSpec).default !== undefined && problem(s as ParamSpec, (s as ParamSpec).default))
      return `parameter "${k}" default ${problem(s as ParamSpec, (s as ParamSpec).default)}`;
  }
  return undefined;
}
