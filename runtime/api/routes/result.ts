/** Turns an engine {@link Result} into a reply: the value, or `{ error }` with a status from the engine's code. */
import type { FastifyReply } from 'fastify';
import type { Result } from '../engine-port.ts';
import { errorBody, statusForEngineCode } from '../errors.ts';

export function sendResult<T>(reply: FastifyReply, result: Result<T>, okStatus = 200): FastifyReply {
  if (result.ok) return reply.code(okStatus).send(result.value);
  return reply.code(statusForEngineCode(result.code)).send(errorBody(result.code, result.message));
}
