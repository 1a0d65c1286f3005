import { describe, expect, it } from 'vitest';
import { kubeVersionLdflags, parseGoMod, renderWrapperGoMod, stagingVersion } from './gomod.ts';

const K8S_MOD = `// generated
module k8s.io/kubernetes

go 1.24.0

godebug default=go1.24

require (
\tgithub.com/blang/semver/v4 v4.0.0
\tk8s.io/api v0.0.0
\tk8s.io/client-go v0.0.0 // indirect
)

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/client-go => ./staging/src/k8s.io/client-go
\tgithub.com/foo/bar => github.com/foo/bar v1.2.3
)
`;

const ETCD_MOD = `module go.etcd.io/etcd/server/v3

go 1.26.0

toolchain go1.26.10

require (
\tgo.etcd.io/etcd/api/v3 v3.6.16
\tgo.etcd.io/etcd/client/v3 v3.6.16
)

replace (
\tgo.etcd.io/etcd/api/v3 => ../api
\tgo.etcd.io/etcd/client/v3 => ../client/v3
)

replace go.etcd.io/etcd => ./FORBIDDEN_DEPENDENCY
`;

describe('parseGoMod', () => {
  it('reads go, godebug, require and replace in block and single-line form', () => {
    const info = parseGoMod(K8S_MOD);
    expect(info.go).toBe('1.24.0');
    expect(info.godebug).toEqual(['default=go1.24']);
    expect(info.require.get('k8s.io/client-go')).toBe('v0.0.0');
    expect(info.replace.get('k8s.io/api')).toBe('./staging/src/k8s.io/api');
    expect(parseGoMod(ETCD_MOD).replace.get('go.etcd.io/etcd')).toBe('./FORBIDDEN_DEPENDENCY');
  });
});

describe('renderWrapperGoMod', () => {
  it('maps kubernetes staging placeholders to their published v0 versions', () => {
    const out = renderWrapperGoMod({
      name: 'aurum.local/build/kubernetes',
      module: 'k8s.io/kubernetes',
      version: 'v1.34.4',
      upstreamGoMod: K8S_MOD,
    });
    expect(out).toContain('module aurum.local/build/kubernetes\n');
    expect(out).toContain('go 1.24.0\n');
    expect(out).toContain('godebug default=go1.24\n');
    expect(out).toContain('require k8s.io/kubernetes v1.34.4\n');
    expect(out).toContain('\tk8s.io/api => k8s.io/api v0.34.4\n');
    expect(out).toContain('\tk8s.io/client-go => k8s.io/client-go v0.34.4\n');
    expect(out).not.toContain('foo/bar');
  });

  it('maps etcd sibling replaces to the required version and skips guard replaces', () => {
    const out = renderWrapperGoMod({
      name: 'w',
      module: 'go.etcd.io/etcd/server/v3',
      version: 'v3.6.16',
      upstreamGoMod: ETCD_MOD,
    });
    expect(out).toContain('\tgo.etcd.io/etcd/api/v3 => go.etcd.io/etcd/api/v3 v3.6.16\n');
    expect(out).not.toContain('FORBIDDEN');
    expect(out).not.toContain('godebug');
  });
});

describe('version helpers', () => {
  it('derives the staging version and the version ldflags', () => {
    expect(stagingVersion('v1.34.4')).toBe('v0.34.4');
    const ld = kubeVersionLdflags('v1.34.4', '2026-01-01T00:00:00Z');
    expect(ld).toContain('-X k8s.io/component-base/version.gitVersion=v1.34.4');
    expect(ld).toContain('-X k8s.io/component-base/version.gitMinor=34');
    expect(ld).toContain('-X k8s.io/client-go/pkg/version.gitVersion=v1.34.4');
    expect(() => kubeVersionLdflags('1.34', 'x')).toThrow();
  });
});

describe('goBinaryName', () => {
  it('names binaries as `go build -o dir/` does', async () => {
    const { goBinaryName } = await import('./binaries.ts');
    expect(goBinaryName('k8s.io/kubernetes/cmd/kube-apiserver')).toBe('kube-apiserver');
    expect(goBinaryName('go.etcd.io/etcd/server/v3')).toBe('server');
    expect(goBinaryName('github.com/coredns/coredns')).toBe('coredns');
    expect(goBinaryName('github.com/cloudnativelabs/kube-router/v2/cmd/kube-router')).toBe('kube-router');
  });
});
