/**
 * Pure rendering of a "wrapper" Go module that builds binaries of an upstream module which cannot be
 * `go install`ed directly because its go.mod has local-path `replace` directives (k8s.io/kubernetes
 * replaces its staging modules with ./staging/src/..., etcd's server replaces its siblings with ../api).
 *
 * The wrapper requires the upstream module at the pinned version and replaces every module that upstream
 * replaces with a local path by that module's *published* version: kubernetes' staging modules are
 * published as v0.<minor>.<patch>, etcd's siblings at the version upstream requires them. The `go` and
 * `godebug` lines are copied so the binaries behave as upstream's own build does.
 */

/** What we need from an upstream go.mod. */
export interface GoModInfo {
  /** `go` directive, e.g. `1.24.0` */
  go?: string;
  /** `godebug` lines verbatim (without the keyword), e.g. `default=go1.24` */
  godebug: string[];
  /** required module -> version */
  require: Map<string, string>;
  /** replaced module -> target ("./path" for local replaces, or "mod version") */
  replace: Map<string, string>;
}

/** Parses the directives of a go.mod that matter for building a wrapper (both single and block forms). */
export function parseGoMod(text: string): GoModInfo {
  const info: GoModInfo = { godebug: [], require: new Map(), replace: new Map() };
  let block: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (block) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      addDirective(info, block, line);
      continue;
    }
    const m = /^(\w+)\s*\($/.exec(line);
    if (m) {
      block = m[1];
      continue;
    }
    const sp = line.indexOf(' ');
    if (sp > 0) addDirective(info, line.slice(0, sp), line.slice(sp + 1).trim());
  }
  return info;
}

function addDirective(info: GoModInfo, kind: string, rest: string): void {
  if (kind === 'go') info.go = rest;
  else if (kind === 'godebug') info.godebug.push(rest);
  else if (kind === 'require') {
    const [mod, ver] = rest.split(/\s+/);
    if (mod && ver) info.require.set(mod, ver);
  } else if (kind === 'replace') {
    const [lhs, rhs] = rest.split('=>').map((s) => s.trim());
    if (lhs && rhs) info.replace.set(lhs.split(/\s+/)[0]!, rhs);
  }
}

/** Input of {@link renderWrapperGoMod}. */
export interface WrapperSpec {
  /** module path of the wrapper itself, e.g. `aurum.local/build/kubernetes` */
  name: string;
  /** upstream module, e.g. `k8s.io/kubernetes` */
  module: string;
  /** upstream version, e.g. `v1.34.4` */
  version: string;
  /** the upstream go.mod text (fetched from the Go module proxy) */
  upstreamGoMod: string;
  /**
   * Version for a locally replaced module that upstream requires only as a placeholder (`v0.0.0`):
   * kubernetes publishes its staging modules as `v0.<minor>.<patch>` (default: that mapping of `version`).
   */
  placeholderVersion?: string;
}

/** `v1.34.4` -> `v0.34.4`: the published version of kubernetes' staging modules. */
export function stagingVersion(version: string): string {
  return version.replace(/^v\d+\./, 'v0.');
}

/** Renders the wrapper go.mod (see the module comment). */
export function renderWrapperGoMod(spec: WrapperSpec): string {
  const up = parseGoMod(spec.upstreamGoMod);
  const placeholder = spec.placeholderVersion ?? stagingVersion(spec.version);
  const replaces: string[] = [];
  for (const [mod, target] of [...up.replace.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!target.startsWith('.')) continue; // a versioned replace needs no help
    const required = up.require.get(mod);
    if (!required) continue; // e.g. etcd's ./FORBIDDEN_DEPENDENCY guards
    const v = /^v0\.0\.0(-|$)/.test(required) ? placeholder : required;
    replaces.push(`\t${mod} => ${mod} ${v}`);
  }
  const lines = [`module ${spec.name}`, ''];
  if (up.go) lines.push(`go ${up.go}`, '');
  for (const g of up.godebug) lines.push(`godebug ${g}`);
  if (up.godebug.length) lines.push('');
  lines.push(`require ${spec.module} ${spec.version}`, '');
  if (replaces.length) lines.push('replace (', ...replaces, ')', '');
  return lines.join('\n');
}

/** The `-ldflags` kubernetes binaries need to report their real version (what upstream's build sets). */
export function kubeVersionLdflags(version: string, buildDate: string): string {
  const m = /^v(\d+)\.(\d+)\./.exec(version);
  if (!m) throw new Error(`not a kubernetes version: ${version}`);
  const x = (pkg: string, k: string, v: string) => `-X ${pkg}.${k}=${v}`;
  const vars: Array<[string, string]> = [
    ['gitVersion', version],
    ['gitMajor', m[1]!],
    ['gitMinor', m[2]!],
    ['gitTreeState', 'clean'],
    ['buildDate', buildDate],
  ];
  return [
    '-s -w',
    ...vars.map(([k, v]) => x('k8s.io/component-base/version', k, v)),
    ...vars.map(([k, v]) => x('k8s.io/client-go/pkg/version', k, v)),
  ].join(' ');
}
