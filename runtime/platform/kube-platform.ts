/**
 * {@link PlatformPort} on the Kubernetes API: reads the runtime's own TradingPlatform and asks for another
 * resource profile by merge-patching `spec.runtime.profile` — the only change the runtime's identity is allowed
 * (RBAC + a ValidatingAdmissionPolicy; the operator then resizes the pod). The allowed list is checked here first
 * so the investor gets a clear answer without a round trip; the API server still has the last word.
 */
import type { Logger } from '../../common/log.ts';
import type { Actor, PlatformPort, Result } from '../api/engine-port.ts';
import type { KubeClient } from './kube-client.ts';

export const TRADING_PLATFORM_PATH = (namespace: string, name: string) =>
  `/apis/aurum.dev/v1alpha1/namespaces/${encodeURIComponent(namespace)}/tradingplatforms/${encodeURIComponent(name)}`;

interface TradingPlatformDoc {
  spec?: { runtime?: { profile?: string; allowedProfiles?: string[] } };
  status?: { runtime?: { profile?: string; resources?: unknown; resizeMethod?: string } };
}

export interface KubePlatformOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  logger: Logger;
}

const kubeMessage = (body: unknown): string =>
  typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : '';

export function createKubePlatform(opts: KubePlatformOptions): PlatformPort {
  const path = TRADING_PLATFORM_PATH(opts.namespace, opts.name);
  const log = opts.logger.child({ component: 'platform' });

  async function read(): Promise<TradingPlatformDoc> {
    const res = await opts.client.request<TradingPlatformDoc>('GET', path);
    if (res.status !== 200)
      throw new Error(
        `reading TradingPlatform ${opts.namespace}/${opts.name}: HTTP ${res.status} ${kubeMessage(res.body)}`,
      );
    return res.body;
  }

  return {
    async current() {
      const tp = await read();
      const profile = tp.spec?.runtime?.profile ?? tp.status?.runtime?.profile ?? 'default';
      const effective = tp.status?.runtime?.profile;
      return {
        profile,
        allowedProfiles: tp.spec?.runtime?.allowedProfiles ?? [],
        resources: tp.status?.runtime?.resources,
        ...(effective ? { effectiveProfile: effective } : {}),
        resizeStatus:
          effective && effective !== profile ? 'pending' : (tp.status?.runtime?.resizeMethod ?? 'applied'),
      };
    },
    async requestProfile(profile: string, actor: Actor): Promise<Result<{ profile: string }>> {
      let tp: TradingPlatformDoc;
      try {
        tp = await read();
      } catch (err) {
        log.error({ err: (err as Error).message }, 'cannot read own TradingPlatform');
        return {
          ok: false,
          code: 'PLATFORM_UNAVAILABLE',
          message: 'The Kubernetes API cannot be reached; try again.',
        };
      }
      const allowed = tp.spec?.runtime?.allowedProfiles ?? [];
      if (!allowed.includes(profile))
        return {
          ok: false,
          code: 'PROFILE_NOT_ALLOWED',
          message: allowed.length
            ? `Profile ${profile} is not allowed for this platform; choose one of: ${allowed.join(', ')}.`
            : 'This platform allows no self-service profile changes; ask the platform administrator.',
        };
      if (tp.spec?.runtime?.profile === profile) return { ok: true, value: { profile } };
      const res = await opts.client
        .request('PATCH', path, { spec: { runtime: { profile } } }, 'application/merge-patch+json')
        .catch((err: Error) => ({ status: 0, body: { message: err.message } }));
      log.info(
        { audit: true, event: 'profile_request', username: actor.username, profile, status: res.status },
        'resource profile change requested',
      );
      if (res.status === 200) return { ok: true, value: { profile } };
      if (res.status === 403 || res.status === 422)
        return {
          ok: false,
          code: 'PROFILE_CHANGE_DENIED',
          message: `The cluster refused the change: ${kubeMessage(res.body)}`,
        };
      if (res.status === 409)
        return {
          ok: false,
          code: 'PROFILE_CHANGE_CONFLICT',
          message: 'The platform changed meanwhile; try again.',
        };
      return {
        ok: false,
        code: 'PLATFORM_UNAVAILABLE',
        message: `The Kubernetes API answered HTTP ${res.status}; try again.`,
      };
    },
  };
}
