/**
 * Helm templating on top of plain object builders.
 *
 * The chart is produced from the same TypeScript builders that `operator/deploy` and `simulator/deploy` use,
 * so an installation made with the chart and one made by the builders cannot drift. The builders return
 * typed objects; to turn one into a Helm template we hand it *sentinels* in place of configurable values,
 * serialise the object to YAML, then swap each sentinel for its template expression:
 *
 * - {@link HelmTemplating.raw}: inline and unquoted (`replicas: {{ .Values.operator.replicas }}`), for numbers,
 *   booleans and strings embedded in a longer string;
 * - {@link HelmTemplating.str}: a quoted string (`image: {{ .Values.operator.image | quote }}`);
 * - {@link HelmTemplating.yaml}: a whole mapping or list (`resources:` + `{{- toYaml ... | nindent N }}`).
 *
 * Sentinels are plain YAML scalars (`__HELM_R0__`) so the serialiser never quotes or folds them.
 */

type Kind = 'R' | 'S' | 'Y';

/** Collects sentinels for one template file and rewrites its YAML text. */
export interface HelmTemplating {
  /** An inline, unquoted template expression, typed as whatever the builder expects (number, boolean...). */
  raw<T = string>(expr: string): T;
  /** A string value that is quoted when it stands alone. */
  str(expr: string): string;
  /** A whole YAML value (mapping or list) rendered with `toYaml`, typed as the builder expects. */
  yaml<T>(expr: string): T;
  /** Replaces every sentinel in `text` (YAML serialised from objects holding sentinels). Throws on leftovers. */
  render(text: string): string;
}

const TOKEN = /__HELM_([RSY])(\d+)__/;

/** Creates a fresh sentinel table (one per template file keeps numbers small and output stable). */
export function helmTemplating(): HelmTemplating {
  const table: { kind: Kind; expr: string }[] = [];
  const add = (kind: Kind, expr: string): string => {
    if (expr.includes('}}')) throw new Error(`expression must not contain braces: ${expr}`);
    table.push({ kind, expr });
    return `__HELM_${kind}${table.length - 1}__`;
  };
  return {
    raw: <T>(expr: string) => add('R', expr) as T,
    str: (expr: string) => add('S', expr),
    yaml: <T>(expr: string) => add('Y', expr) as T,
    render(text: string): string {
      const expr = (i: string) => table[Number(i)]!.expr;
      let out = text.replace(
        /^( *)(- )?([^\s#'"][^:\n]*|"[^"\n]*"|'[^'\n]*'): ['"]?__HELM_Y(\d+)__['"]?$/gm,
        (_m, indent: string, dash: string | undefined, key: string, i: string) => {
          const keyIndent = indent.length + (dash ? 2 : 0);
          return `${indent}${dash ?? ''}${key}:\n{{- toYaml (${expr(i)}) | nindent ${keyIndent + 2} }}`;
        },
      );
      // A standalone scalar (possibly quoted by the serialiser): drop the quotes, the template adds its own.
      out = out.replace(/(["'])__HELM_([RS])(\d+)__\1/g, (_m, _q, k: string, i: string) =>
        k === 'S' ? `{{ ${expr(i)} | quote }}` : `{{ ${expr(i)} }}`,
      );
      out = out.replace(/(:\s|-\s)__HELM_([RS])(\d+)__$/gm, (_m, pre: string, k: string, i: string) =>
        k === 'S' ? `${pre}{{ ${expr(i)} | quote }}` : `${pre}{{ ${expr(i)} }}`,
      );
      // Embedded in a longer string: inline, no quoting.
      out = out.replace(/__HELM_([RS])(\d+)__/g, (_m, _k, i: string) => `{{ ${expr(i)} }}`);
      const left = TOKEN.exec(out);
      if (left)
        throw new Error(`sentinel ${left[0]} could not be placed (a yaml() value must be a map value)`);
      return out;
    },
  };
}

/** Wraps a template in `{{- if cond }} ... {{- end }}`. */
export function onlyIf(cond: string, text: string): string {
  return `{{- if ${cond} }}\n${text.endsWith('\n') ? text : `${text}\n`}{{- end }}\n`;
}

/**
 * Escapes text that must reach the rendered manifest literally (e.g. a CEL rule or a Lua script that
 * happens to contain `{{`), by routing every `{{` through a template string literal.
 */
export function escapeTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}
