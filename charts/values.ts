/**
 * The chart's values: one zod schema that gives `values.yaml` (the defaults, each commented with its
 * description), `values.schema.json` (Helm validates every install and upgrade against it) and the values
 * table in docs/admin. Keep descriptions short: they become YAML comments.
 */
import { z } from 'zod';
import { DEFAULT_PROFILES, OperatorConfigSchema } from '../operator/config.ts';
import { AccessSettingsSchema } from '../operator/render/access-settings.ts';

/** The operator's own defaults: the chart's defaults are taken from them, so the two agree. */
const OPERATOR = OperatorConfigSchema.parse({});
const ACCESS = AccessSettingsSchema.parse({});

const IMAGE = /^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/;
const image = (description: string, def: string) =>
  z.string().regex(IMAGE).default(def).describe(`${description} Fully qualified, with an explicit tag.`);
const pullPolicy = () =>
  z
    .enum(['IfNotPresent', 'Always', 'Never'])
    .default('IfNotPresent')
    .describe('imagePullPolicy of the container.');

const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const quantity = z.union([z.string().regex(QUANTITY), z.number().int().min(0)]);
const ResourceList = z
  .object({ cpu: quantity.optional(), memory: quantity.optional() })
  .strict()
  .describe('CPU and memory quantities.');
const Resources = z
  .object({ requests: ResourceList.optional(), limits: ResourceList.optional() })
  .strict()
  .describe('Container requests and limits.');

const Profile = Resources.describe('A named runtime size: requests and limits of the runtime container.');

const labelMap = z.record(z.string(), z.string());
const podSecurity = (def: 'restricted' | 'baseline' | 'privileged') =>
  z
    .enum(['restricted', 'baseline', 'privileged'])
    .default(def)
    .describe('Pod Security Standard enforced on the namespace (pod-security.kubernetes.io labels).');

/** Everything an installation can configure. */
export const ChartValues = z
  .object({
    crds: z
      .object({
        install: z
          .boolean()
          .default(true)
          .describe('Install and upgrade the CRDs with the chart (set false when GitOps manages them).'),
        keep: z
          .boolean()
          .default(true)
          .describe('Keep the CRDs (and so every TradingPlatform) when the release is uninstalled.'),
      })
      .prefault({})
      .describe('The aurum.dev CustomResourceDefinitions.'),
    operator: z
      .object({
        image: image('Operator image.', 'docker.io/aurum/operator:0.1.0'),
        imagePullPolicy: pullPolicy(),
        replicas: z
          .number()
          .int()
          .min(1)
          .max(5)
          .default(2)
          .describe('Operator replicas; one leads (Lease), the others stand by.'),
        leaderElection: z
          .boolean()
          .default(true)
          .describe('Elect a leader through a coordination.k8s.io Lease (required when replicas > 1).'),
        logLevel: z
          .enum(['trace', 'debug', 'info', 'warn', 'error'])
          .default('info')
          .describe('Log level of the operator.'),
        resources: Resources.prefault({
          requests: { cpu: '50m', memory: '128Mi' },
          limits: { memory: '256Mi' },
        }),
        nodeSelector: labelMap.default({}).describe('nodeSelector of the operator pods.'),
        tolerations: z
          .array(z.record(z.string(), z.unknown()))
          .default([])
          .describe('tolerations of the operator pods.'),
      })
      .prefault({})
      .describe('The Aurum operator.'),
    runtime: z
      .object({
        image: image(
          "Default runtime image (a TradingPlatform's spec.runtime.image overrides it).",
          OPERATOR.defaultImage,
        ),
        imagePullPolicy: pullPolicy(),
        defaultProfile: z
          .string()
          .default(OPERATOR.defaultProfile)
          .describe('Profile used when a TradingPlatform names none; must be a key of profiles.'),
        profiles: z
          .record(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/), Profile)
          .default(structuredClone(DEFAULT_PROFILES) as Record<string, z.input<typeof Profile>>)
          .describe(
            'Named runtime sizes (spec.runtime.profile). Keep requests < limits in all of them: a profile switch is resized in place only when the QoS class stays.',
          ),
        command: z
          .array(z.string())
          .default([])
          .describe("Command of the runtime container; empty: the image's entrypoint."),
        retainVolumesOnDelete: z
          .boolean()
          .default(OPERATOR.retainVolumesOnDelete)
          .describe('Keep the journal volume when its TradingPlatform is deleted.'),
      })
      .prefault({})
      .describe('The trading runtime pods the operator creates.'),
    access: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            'Give runtime pods the WireGuard sidecar and VPN Service (false: nobody can reach them).',
          ),
        sidecarImage: image('WireGuard sidecar image.', ACCESS.sidecarImage),
        listenPort: z
          .number()
          .int()
          .min(1)
          .max(65535)
          .default(ACCESS.listenPort)
          .describe('UDP port of the sidecar in the pod.'),
        serviceType: z
          .enum(['NodePort', 'LoadBalancer'])
          .default(ACCESS.serviceType)
          .describe('How the VPN port of each platform is exposed.'),
        servicePort: z
          .number()
          .int()
          .min(1)
          .max(65535)
          .default(ACCESS.servicePort)
          .describe('Service (LoadBalancer) port.'),
        tunnelPool: z
          .string()
          .default(ACCESS.tunnelPool)
          .describe("Tunnel addresses of each platform's investors."),
        peerLimit: z
          .number()
          .int()
          .min(1)
          .max(4096)
          .default(ACCESS.peerLimit)
          .describe('Most live peers per platform.'),
        endpointHost: z
          .string()
          .default('')
          .describe("Address investors dial for a NodePort Service; empty: the runtime pod's node address."),
      })
      .prefault({})
      .describe('Investor access: the WireGuard sidecar in every runtime pod.'),
    admissionPolicies: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            "Install the ValidatingAdmissionPolicies that limit what a runtime's identity may change.",
          ),
      })
      .prefault({})
      .describe('ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1).'),
    operatorNamespace: z
      .object({
        manage: z
          .boolean()
          .default(true)
          .describe(
            'Label the release namespace with its PodSecurity level. Create the namespace first and install with --take-ownership.',
          ),
        podSecurity: podSecurity('restricted'),
      })
      .prefault({})
      .describe("The operator's (release) namespace."),
    investorNamespace: z
      .object({
        create: z.boolean().default(true).describe('Create the namespace that holds TradingPlatforms.'),
        name: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
          .default('investors')
          .describe('Name of the investor namespace (also where the default NetworkPolicySpec goes).'),
        podSecurity: podSecurity('privileged').describe(
          'PodSecurity level of the investor namespace: privileged, because the WireGuard sidecar needs NET_ADMIN (baseline allows it only with access.enabled=false).',
        ),
        labels: labelMap.default({}).describe('Extra labels of the investor namespace.'),
      })
      .prefault({})
      .describe('The namespace where investor platforms live.'),
    networkPolicySpec: z
      .object({
        create: z
          .boolean()
          .default(true)
          .describe('Create a default NetworkPolicySpec in the investor namespace.'),
        name: z.string().default('default').describe('Its name.'),
        allowSimulator: z
          .boolean()
          .default(true)
          .describe('When the simulator is enabled, let runtimes reach it (an extra counterEgress entry).'),
        counterEgress: z
          .array(z.record(z.string(), z.unknown()))
          .default([])
          .describe('counterEgress entries (see docs/network-admin); broker counter fronts.'),
        extraEgress: z.array(z.record(z.string(), z.unknown())).default([]).describe('extraEgress entries.'),
        allowDNS: z.boolean().default(true).describe('Allow DNS lookups.'),
        vpnSourceCidrs: z
          .array(z.string())
          .default(['0.0.0.0/0'])
          .describe('Who may reach the WireGuard port (vpnIngress.sourceCidrs).'),
      })
      .prefault({})
      .describe('The default firewall for platforms in the investor namespace.'),
    simulator: z
      .object({
        enabled: z
          .boolean()
          .default(false)
          .describe('Run the counter simulator (a FIX 4.4 broker stand-in).'),
        image: image('Simulator image.', 'docker.io/aurum/simulator:0.1.0'),
        imagePullPolicy: pullPolicy(),
        accounts: z
          .array(
            z
              .object({
                id: z.string().min(1).describe('Account id = FIX Logon Username (553) = Account (1).'),
                compId: z.string().default('').describe("SenderCompID it must log on with ('' = any)."),
                password: z.string().min(1).describe('Logon password (stored in a Secret).'),
                fundCny: z.string().default('1000000').describe('Initial deposit, CNY.'),
              })
              .strict(),
          )
          .default([])
          .describe(
            'Accounts to seed (TradingPlatforms log on with them). Use --set-string for numeric ids.',
          ),
        alwaysOpen: z
          .boolean()
          .default(true)
          .describe('Accept and match orders at any hour (demos); false follows the exchange sessions.'),
        seed: z.number().int().default(1).describe('Seed of the simulated liquidity.'),
        storageSize: z.string().default('1Gi').describe('Size of the simulator data volume.'),
        logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info').describe('Log level.'),
        resources: Resources.prefault({
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { memory: '512Mi' },
        }),
      })
      .prefault({})
      .describe('The counter simulator, an optional component for demos and tests (Service `counter`).'),
  })
  .describe('Values of the aurum chart.');
export type ChartValues = z.output<typeof ChartValues>;

/** The defaults, as written to values.yaml. */
export function defaultValues(): ChartValues {
  return ChartValues.parse({});
}

/** JSON schema of the values (draft 7, what Helm validates with). */
export function valuesJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ChartValues, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
  return { ...schema, title: 'aurum chart values' };
}
