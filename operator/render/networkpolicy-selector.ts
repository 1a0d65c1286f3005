/**
 * Label selector matching (metav1.LabelSelector semantics), used to decide which TradingPlatforms a
 * NetworkPolicySpec governs. An empty selector matches everything.
 */
import type { V1LabelSelector } from '@kubernetes/client-node';

/** True when `labels` satisfy every `matchLabels` entry and every `matchExpressions` requirement. */
export function selectorMatches(
  selector: V1LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // An unknown operator selects nothing: failing closed never widens a firewall.
        return false;
    }
  }
  return true;
}
