/** Resource profile of the platform: read it, and ask the operator to switch it (role trader). */
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../auth.ts';
import type { PlatformPort } from '../engine-port.ts';
import { ApiError } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { sendResult } from './result.ts';

const PROFILE_VIEW = {
  type: 'object',
  additionalProperties: true,
  properties: {
    profile: { type: 'string', description: 'requested (spec.runtime.profile)' },
    effectiveProfile: {
      type: 'string',
      description: 'in effect on the running pod (status.runtime.profile)',
    },
    allowedProfiles: { type: 'array', items: { type: 'string' } },
    resources: { type: 'object', additionalProperties: true },
    resizeStatus: { type: 'string' },
  },
};

export function registerPlatformRoutes(app: FastifyInstance, platform: PlatformPort | undefined): void {
  const need = (): PlatformPort => {
    if (!platform)
      throw new ApiError(
        'PLATFORM_UNAVAILABLE',
        'This runtime is not running in a cluster; profiles cannot be changed.',
      );
    return platform;
  };

  app.get(
    '/api/platform/profile',
    {
      schema: {
        tags: ['platform'],
        summary: 'Current resource profile and the profiles the investor may switch to',
        response: { 200: PROFILE_VIEW, ...errorResponses(503) },
      },
    },
    async () => need().current(),
  );

  app.post<{ Body: { profile: string } }>(
    '/api/platform/profile',
    {
      config: { auditBody: true },
      schema: {
        tags: ['platform'],
        summary: 'Switch to another allowed resource profile; the operator resizes the pod',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['profile'],
          properties: { profile: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' } },
        },
        response: {
          202: { type: 'object', properties: { profile: { type: 'string' } } },
          ...errorResponses(403, 409, 422, 503),
        },
      },
    },
    async (req, reply) => sendResult(reply, await need().requestProfile(req.body.profile, actorOf(req)), 202),
  );
}
