/** Test helpers for the chart: render it with the real helm and read the objects back. */
import { parseAllDocuments } from 'yaml';
import { CHART_DIR } from './generate.ts';
import { runHelm } from './helm.ts';

/** A rendered Kubernetes object (loosely typed: tests navigate it). */
export interface Rendered {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are navigated freely in tests
  [key: string]: any;
}

/** Kubernetes version the chart is rendered for in tests (the local cluster's). */
export const TEST_KUBE_VERSION = '1.34.0';

/**
 * `helm template` of charts/aurum with `--set` style `sets` (e.g. `simulator.enabled=true`).
 * Throws with helm's message when rendering fails.
 * @param namespace release namespace, default `aurum-system`
 */
export function helmTemplate(sets: string[] = [], namespace = 'aurum-system'): Rendered[] {
  const args = [
    'template',
    'aurum',
    CHART_DIR,
    '--namespace',
    namespace,
    '--kube-version',
    TEST_KUBE_VERSION,
  ];
  for (const s of sets) args.push('--set', s);
  const r = runHelm(args);
  if (r.status !== 0) throw new Error(r.stderr.trim());
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Rendered | null)
    .filter((o): o is Rendered => o !== null);
}

/** The one object of `kind` (and `name` when given); throws when there is not exactly one. */
export function one(objects: Rendered[], kind: string, name?: string): Rendered {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0]!;
}
