/**
 * zod schema → Kubernetes CustomResourceDefinition.
 *
 * `z.toJSONSchema` gives plain JSON Schema; the API server wants a *structural* OpenAPI v3 schema: every node
 * typed, no `$ref`, no `anyOf` of types (except the int-or-string idiom), no `additionalProperties` beside
 * `properties`. {@link toStructural} performs those rewrites and throws on anything it cannot express, so a
 * schema change that would make an invalid CRD fails at generation time rather than at `kubectl apply`.
 */
import { z } from 'zod';
import { GROUP, type KindDefinition, VERSION } from './common.ts';

type Json = Record<string, unknown>;

const SAFE = Number.MAX_SAFE_INTEGER;

/** Rewrites one JSON-schema node (recursively) into its structural form. `path` names the node in errors. */
export function toStructural(node: Json, path = '$'): Json {
  const out: Json = { ...node };
  delete out.$schema;
  if ('$ref' in out || 'allOf' in out || 'oneOf' in out)
    throw new Error(`${path}: $ref/allOf/oneOf not structural`);
  if (out['x-kubernetes-int-or-string']) {
    const str = (out.anyOf as Json[] | undefined)?.find((s) => s.type === 'string');
    const res: Json = { ...out, anyOf: [{ type: 'integer' }, { type: 'string' }] };
    if (str?.pattern) res.pattern = str.pattern;
    return res;
  }
  if ('anyOf' in out) throw new Error(`${path}: anyOf is only allowed for int-or-string`);
  if (out.maximum === SAFE) delete out.maximum;
  if (out.minimum === -SAFE) delete out.minimum;
  if (out.format === 'date-time') delete out.pattern;
  if (out['x-kubernetes-preserve-unknown-fields']) {
    delete out.additionalProperties;
    out.type = 'object';
  }
  if (out.additionalProperties === false || (out.properties && out.additionalProperties !== undefined)) {
    delete out.additionalProperties;
  }
  if (typeof out.type !== 'string') throw new Error(`${path}: every node needs a type`);
  if (out.properties) {
    const props: Json = {};
    for (const [k, v] of Object.entries(out.properties as Json))
      props[k] = toStructural(v as Json, `${path}.${k}`);
    out.properties = props;
  }
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = toStructural(out.additionalProperties as Json, `${path}[*]`);
  }
  if (out.items) out.items = toStructural(out.items as Json, `${path}[]`);
  return out;
}

/** The structural OpenAPI v3 schema of one zod type, as the user writes it (`io: input`: defaults optional). */
export function openApiSchema(schema: z.ZodType, path: string): Json {
  const raw = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    reused: 'inline',
    unrepresentable: 'throw',
  });
  return toStructural(raw as Json, path);
}

/** The full CRD object for one kind. */
export function buildCrd(def: KindDefinition): Json {
  const root: Json = {
    type: 'object',
    description: def.description,
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion of this object: aurum.dev/v1alpha1.' },
      kind: { type: 'string', description: `Kind of this object: ${def.kind}.` },
      // The API server forbids anything but `type` here (metadata is validated by the server itself).
      metadata: { type: 'object' },
      spec: openApiSchema(def.spec, 'spec'),
      status: openApiSchema(def.status, 'status'),
    },
  };
  if (def.rootRules?.length) root['x-kubernetes-validations'] = def.rootRules;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${def.plural}.${GROUP}`,
      labels: { 'app.kubernetes.io/part-of': 'aurum', 'app.kubernetes.io/managed-by': 'aurum-crd-generator' },
    },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: ['aurum'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.printerColumns,
          schema: { openAPIV3Schema: root },
        },
      ],
    },
  };
}
