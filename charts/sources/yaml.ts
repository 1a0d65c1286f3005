/** Deterministic YAML for chart templates: sorted keys, no line folding (folding would split sentinels). */
import { stringify } from 'yaml';
import { escapeTemplate, type HelmTemplating, helmTemplating } from '../templating.ts';

/** Serialises objects as one multi-document YAML text. */
export function toYamlDocs(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { sortMapEntries: true, lineWidth: 0 })).join('---\n');
}

/**
 * Builds a template file: `build` receives a fresh sentinel table and returns the objects; they are serialised
 * and their sentinels replaced by template expressions.
 */
export function templateOf(build: (t: HelmTemplating) => readonly unknown[]): string {
  const t = helmTemplating();
  // Text from builders (descriptions, CEL rules) must never be read as template actions: escape first;
  // sentinels hold no braces, so escaping cannot touch them.
  return t.render(escapeTemplate(toYamlDocs(build(t))));
}
