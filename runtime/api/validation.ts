/**
 * Request validation. Bodies are checked strictly — no type coercion (a price sent as a JSON number is an error,
 * not silently turned into a string) and unknown fields are refused rather than dropped — while the query
 * string and path parameters, which are text by nature, are coerced ("?limit=10" is the integer 10).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

const common = { removeAdditional: false, allErrors: false, strict: false, useDefaults: true } as const;
const strict = new Ajv({ ...common, coerceTypes: false });
const coercing = new Ajv({ ...common, coerceTypes: 'array' });
// Formats appear only in response schemas (serialization), but keep validation from failing on them.
for (const ajv of [strict, coercing]) for (const f of ['date-time', 'date', 'uri']) ajv.addFormat(f, true);

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const fn: ValidateFunction = (httpPart === 'body' ? strict : coercing).compile(schema);
  return fn as ReturnType<FastifySchemaCompiler<object>>;
};

/** The part of an Ajv error the message is built from. */
interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * The message of a request that fails its schema, e.g. `body/code must be string`. Ajv reports every branch
 * of an `anyOf` (a strategy upload is a JSON object `{ code }` or the source as text) plus the `anyOf` itself;
 * a branch of the wrong type says nothing about what the caller meant, so only the branches whose type
 * matched are reported. An `enum` error lists the allowed values.
 */
export function schemaErrorText(errors: readonly SchemaError[], dataVar: string): string {
  const branchOf = (e: SchemaError) => /^(.*\/(?:anyOf|oneOf)\/\d+)\//.exec(e.schemaPath)?.[1];
  const details = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const wrongType = new Set(
    details.filter((e) => e.keyword === 'type' && e.schemaPath === `${branchOf(e)}/type`).map(branchOf),
  );
  const meant = details.filter((e) => !wrongType.has(branchOf(e)));
  const shown = meant.length > 0 ? meant : details;
  const text = (e: SchemaError) =>
    e.keyword === 'enum' && Array.isArray(e.params.allowedValues)
      ? `must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
      : (e.message ?? 'is invalid');
  return [...new Set(shown.map((e) => `${dataVar}${e.instancePath} ${text(e)}`))].join(', ');
}
