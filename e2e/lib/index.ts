/**
 * Helpers for every e2e test (import from 'e2e/lib/index.ts'):
 * - `kubeConfig()`, `clients()`            KubeConfig + typed API clients from $KUBECONFIG
 * - `kubectl(args, {input, check})`        the cluster's own kubectl; `kubectlJson`, `apply`, `exec`
 * - `useNamespace(prefix)`                 fresh namespace per file, dumped on failure, deleted after
 * - `waitFor(pred, {timeout, interval, describe})`  polling with a descriptive timeout error
 * - `dumpNamespace(ns)`                    events, describes, logs, objects -> e2e/artifacts/
 * - `waitPodReady`, `podOf`, `toolboxPod`, `webDeployment`, `TOOLBOX`  pods for network tests
 */
export { ARTIFACTS, dumpNamespace } from './dump.ts';
export {
  apply,
  clients,
  exec,
  kubeConfig,
  kubeconfigPath,
  kubectl,
  kubectlBinary,
  kubectlJson,
} from './kube.ts';
export { createNamespace, deleteNamespace, useNamespace } from './namespace.ts';
export { podOf, TOOLBOX, toolboxPod, waitPodReady, webDeployment } from './pods.ts';
export { waitFor } from './wait.ts';
