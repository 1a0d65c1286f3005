/** The runtime's Service (API and dashboard on port 8080), pure. */
import type { TradingPlatform } from '../api/tradingplatform.ts';
import type { OperatorConfig } from '../config.ts';
import type { KubeObject } from '../kube/resources.ts';
import { childLabels, runtimeName, selectorLabels } from './names.ts';

export function renderService(tp: TradingPlatform, config: OperatorConfig): KubeObject {
  const name = tp.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: runtimeName(name),
      namespace: tp.metadata.namespace,
      labels: childLabels(name, tp.spec.investor, config.extraLabels),
    },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(name),
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}
