import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { schemaErrorText } from './validation.ts';

const UPLOAD = {
  anyOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['code'],
      properties: { code: { type: 'string', maxLength: 8 } },
    },
    { type: 'string', maxLength: 8 },
  ],
};

/** What the API would say about `data` against `schema` (errors from Ajv itself, as Fastify gets them). */
function say(schema: object, data: unknown): string {
  const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);
  expect(validate(data)).toBe(false);
  return schemaErrorText(validate.errors ?? [], 'body');
}

describe('schemaErrorText', () => {
  it('reports only the anyOf branches whose type the request has', () => {
    expect(say(UPLOAD, 'x'.repeat(9))).toBe('body must NOT have more than 8 characters');
    expect(say(UPLOAD, { code: 5 })).toBe('body/code must be string');
    expect(say(UPLOAD, { code: 'x', extra: 1 })).toBe('body must NOT have additional properties');
  });

  it('says every branch when the request has none of their types, and lists allowed values', () => {
    expect(say(UPLOAD, 5)).toBe('body must be object, body must be string');
    expect(say({ type: 'object', properties: { side: { enum: ['buy', 'sell'] } } }, { side: 'short' })).toBe(
      'body/side must be one of "buy", "sell"',
    );
  });
});
