/**
 * Writes the Helm chart `charts/aurum` from the project's own builders, so the chart and the objects the
 * operator, simulator and access code build cannot drift:
 *   CRDs                 operator/api (the zod schemas)            → templates/crds/*.yaml
 *   investor namespace,
 *   default firewall     operator/api types                         → templates/investor-namespace.yaml, networkpolicyspec.yaml
 *   values               charts/values.ts (zod)                     → values.yaml, values.schema.json
 *   operator             operator/deploy/manifests.ts               → templates/operator.yaml (+ operator-namespace.yaml)
 *   admission policies   operator/render/runtime-identity.ts        → templates/admission-policies.yaml
 *   counter simulator    simulator/deploy/manifests.ts              → templates/simulator.yaml (optional)
 *   GitOps health        charts/gitops                              → files/gitops/*
 *
 *   node charts/generate.ts           (re)writes charts/aurum
 *   node charts/generate.ts --check   exits 1 when the checked-in chart is stale (also a unit test)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { admissionPoliciesTemplate } from './sources/admission.ts';
import {
  chartYaml,
  gitopsFiles,
  HELMIGNORE,
  helpersTpl,
  notesTxt,
  validateTpl,
  valuesSchemaJson,
  valuesYaml,
} from './sources/chart-files.ts';
import { crdTemplates } from './sources/crds.ts';
import { defaultNetworkPolicySpecTemplate, investorNamespaceTemplate } from './sources/investors.ts';
import { operatorConfigHelper, operatorNamespaceTemplate, operatorTemplate } from './sources/operator.ts';
import { SIMULATOR_FIX_PORT, simulatorHelpers, simulatorTemplate } from './sources/simulator.ts';

/** Where the chart is written. */
export const CHART_DIR = join(import.meta.dirname, 'aurum');

/** Pod labels of the simulator (the default firewall's hole to it selects these). */
export const SIMULATOR_POD_LABELS = { 'app.kubernetes.io/name': 'aurum-simulator' };

/** Every file of the chart: path relative to the chart directory → content. */
export function renderChart(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('Chart.yaml', chartYaml());
  files.set('values.yaml', valuesYaml());
  files.set('values.schema.json', valuesSchemaJson());
  files.set('.helmignore', HELMIGNORE);
  files.set(
    'templates/_helpers.tpl',
    helpersTpl(SIMULATOR_POD_LABELS, SIMULATOR_FIX_PORT, `${operatorConfigHelper()}\n${simulatorHelpers()}`),
  );
  files.set('templates/simulator.yaml', simulatorTemplate());
  files.set('templates/validate.yaml', validateTpl());
  files.set('templates/NOTES.txt', notesTxt());
  for (const [name, text] of crdTemplates()) files.set(`templates/${name}`, text);
  files.set('templates/investor-namespace.yaml', investorNamespaceTemplate());
  files.set('templates/operator-namespace.yaml', operatorNamespaceTemplate());
  files.set('templates/operator.yaml', operatorTemplate());
  files.set('templates/admission-policies.yaml', admissionPoliciesTemplate());
  files.set('templates/networkpolicyspec.yaml', defaultNetworkPolicySpecTemplate());
  for (const [name, text] of gitopsFiles()) files.set(name, text);
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** Paths (relative to `dir`) that differ from what the generator renders, including extra files. */
export function staleChartFiles(dir = CHART_DIR): string[] {
  const want = renderChart();
  const stale = [...want].filter(
    ([p, text]) => !existsSync(join(dir, p)) || readFileSync(join(dir, p), 'utf8') !== text,
  );
  const extra = listFiles(dir).filter((p) => !want.has(p));
  return [...stale.map(([p]) => p), ...extra];
}

/** Writes the chart, removing files the generator no longer produces. */
export function writeChart(dir = CHART_DIR): number {
  const want = renderChart();
  for (const p of listFiles(dir)) if (!want.has(p)) rmSync(join(dir, p));
  for (const [p, text] of want) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return want.size;
}

if (import.meta.main) {
  if (process.argv.includes('--check')) {
    const stale = staleChartFiles();
    if (stale.length) console.error(`stale chart files (run node charts/generate.ts): ${stale.join(', ')}`);
    process.exitCode = stale.length ? 1 : 0;
  } else {
    console.log(`wrote ${writeChart()} files to ${CHART_DIR}`);
  }
}
