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
