import { describe, expect, it } from 'vitest';
import { renderAccessSecret } from '../operator/render/access-config.ts';
import { statusLine, wgConfigText } from './format.ts';
import { parseArgs } from './main.ts';

const ready = {
  metadata: { name: 'alice', namespace: 'investors', generation: 3 },
  spec: { investor: 'alice', paused: false },
  status: {
    observedGeneration: 3,
    phase: 'Ready',
    conditions: [
      { type: 'Ready', status: 'True', reason: 'Running' },
      { type: 'RuntimeReady', status: 'True', reason: 'Running' },
      { type: 'CounterConnected', status: 'True', reason: 'LoggedOn' },
    ],
    runtime: { pod: 'alice-runtime-0', profile: 'standard' },
    endpoint: { wireguard: '192.0.2.10:31820' },
  },
};
const pod = {
  status: {
    phase: 'Running',
    containerStatuses: [
      { name: 'runtime', ready: true, restartCount: 1 },
      { name: 'wireguard', ready: true, restartCount: 0 },
    ],
  },
};

describe('kubectl aurum status line', () => {
  it('says a healthy platform is healthy in one line', () => {
    expect(statusLine(ready, pod)).toBe(
      'investors/alice  Ready  ready=True(Running)  pod=alice-runtime-0 Running 2/2 restarts=1  profile=standard  vpn=192.0.2.10:31820',
    );
  });

  it('puts what is wrong first: stalled, unobserved generation, failing conditions', () => {
    const stuck = {
      ...ready,
      metadata: { ...ready.metadata, generation: 4 },
      status: {
        ...ready.status,
        phase: 'Failed',
        conditions: [
          { type: 'Ready', status: 'False', reason: 'MissingDependency' },
          {
            type: 'Stalled',
            status: 'True',
            reason: 'MissingDependency',
            message: 'Secret alice-counter not found\nmore',
          },
          { type: 'CounterConnected', status: 'False', reason: 'NotLoggedOn', message: 'logon rejected' },
        ],
      },
    };
    const line = statusLine(stuck);
    expect(line).toBe(
      'investors/alice  Failed  ready=False(MissingDependency)  STALLED MissingDependency: Secret alice-counter not found  not yet observed (generation 4, observed 3)  CounterConnected=False(NotLoggedOn: logon rejected)  pod=alice-runtime-0 (not found)  profile=standard  vpn=192.0.2.10:31820',
    );
    expect(line).not.toContain('\n');
  });

  it('copes with a platform the operator has not touched yet', () => {
    expect(statusLine({ metadata: { name: 'bob', namespace: 'investors', generation: 1 } })).toBe(
      'investors/bob  Unknown  ready=Unknown  not yet observed (generation 1, observed none)',
    );
  });
});

describe('kubectl aurum wg-config', () => {
  const secret = renderAccessSecret('alice-laptop', 'investors', undefined as never, 'alice', {
    clientConfig: '[Interface]\nAddress = 10.77.0.2/32\n',
    username: 'alice',
    password: 's3cret-pass',
    passwordHash: 'x',
    rotation: '',
    publicKey: 'pub',
  });
  // The API server turns stringData into base64 data; do the same.
  const stored = {
    data: Object.fromEntries(
      Object.entries(secret.stringData ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
  };

  it('prints the wg-quick file the operator wrote, and the login only when asked', () => {
    expect(wgConfigText(stored, 'alice-laptop-access', false)).toBe('[Interface]\nAddress = 10.77.0.2/32\n');
    const withLogin = wgConfigText(stored, 'alice-laptop-access', true);
    expect(withLogin).toContain('# username: alice\n# password: s3cret-pass\n');
    expect(withLogin.startsWith('[Interface]')).toBe(true);
  });

  it('names the missing key', () => {
    expect(() => wgConfigText({ data: {} }, 'x-access', false)).toThrow(
      'Secret x-access has no key "aurum.conf"',
    );
  });
});

describe('kubectl aurum arguments', () => {
  it('forwards kubectl flags and reads its own', () => {
    expect(parseArgs(['status', 'alice', '-n', 'investors', '--context=k', '--show-login'])).toEqual({
      command: 'status',
      name: 'alice',
      kubectlFlags: ['-n', 'investors', '--context=k'],
      allNamespaces: false,
      showLogin: true,
    });
    expect(parseArgs(['status', '-A']).allNamespaces).toBe(true);
    expect(() => parseArgs(['status', '--bogus'])).toThrow('unknown flag --bogus');
    expect(() => parseArgs(['status', '-n'])).toThrow('-n needs a value');
  });
});
