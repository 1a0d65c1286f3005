import { describe, expect, it } from 'vitest';
import { accessConditions, accessReadyCondition } from './status.ts';

describe('access status', () => {
  it('maps outcomes to conditions: refused is Stalled, revoked is just not Ready', () => {
    expect(accessConditions({ name: 'a', state: 'Active', reason: 'Active', message: 'm' })).toEqual([
      { type: 'Ready', status: 'True', reason: 'Active', message: 'm' },
    ]);
    expect(
      accessConditions({ name: 'a', state: 'Revoked', reason: 'Expired', message: 'm' }).map((c) => c.type),
    ).toEqual(['Ready']);
    expect(
      accessConditions({ name: 'a', state: 'Refused', reason: 'DuplicatePublicKey', message: 'm' }),
    ).toEqual([
      { type: 'Ready', status: 'False', reason: 'DuplicatePublicKey', message: 'm' },
      { type: 'Stalled', status: 'True', reason: 'DuplicatePublicKey', message: 'm' },
    ]);
  });
  it('reports a sidecar that cannot start its tunnel with its own reason', () => {
    const pod = {
      status: {
        containerStatuses: [
          {
            name: 'wireguard',
            ready: false,
            restartCount: 2,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: {
              terminated: { exitCode: 1, message: 'tunnel cannot start: /dev/net/tun is missing' },
            },
          },
        ],
      },
    };
    expect(accessReadyCondition(pod, undefined)).toEqual({
      type: 'AccessReady',
      status: 'False',
      reason: 'SidecarFailed',
      message: 'tunnel cannot start: /dev/net/tun is missing',
    });
    const up = { status: { containerStatuses: [{ name: 'wireguard', ready: true }] } };
    expect(accessReadyCondition(up, '192.168.1.10:31000')).toMatchObject({
      status: 'True',
      reason: 'TunnelUp',
    });
    expect(accessReadyCondition(up, undefined)).toMatchObject({ status: 'False', reason: 'EndpointPending' });
    expect(accessReadyCondition(undefined, undefined)).toMatchObject({ reason: 'PodMissing' });
  });
});
