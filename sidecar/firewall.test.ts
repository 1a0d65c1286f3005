import { describe, expect, it } from 'vitest';
import { hookRules, renderFirewall } from './firewall.ts';

describe('sidecar firewall', () => {
  it('admits each live peer only to the API ports of the sidecar address, drops the rest, forwards nothing', () => {
    const text = renderFirewall({
      iface: 'wg0',
      serverIp: '10.77.0.1',
      peerIps: ['10.77.0.3/32', '10.77.0.2/32'],
      ports: [8080, 8080, 8443],
    });
    expect(text).toBe(
      [
        '*filter',
        ':AURUM-WG-IN - [0:0]',
        ':AURUM-WG-FWD - [0:0]',
        '-A AURUM-WG-IN -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
        '-A AURUM-WG-IN -s 10.77.0.2/32 -d 10.77.0.1/32 -p tcp -m multiport --dports 8080,8443 -j ACCEPT',
        '-A AURUM-WG-IN -s 10.77.0.3/32 -d 10.77.0.1/32 -p tcp -m multiport --dports 8080,8443 -j ACCEPT',
        '-A AURUM-WG-IN -j DROP',
        '-A AURUM-WG-FWD -j DROP',
        'COMMIT',
        '',
      ].join('\n'),
    );
    expect(renderFirewall({ iface: 'wg0', serverIp: '10.77.0.1', peerIps: [], ports: [8080] })).not.toContain(
      '-s ',
    );
    expect(hookRules('wg0').map((r) => r.join(' '))).toEqual([
      '-I INPUT 1 -i wg0 -j AURUM-WG-IN',
      '-I FORWARD 1 -i wg0 -j AURUM-WG-FWD',
      '-I FORWARD 1 -o wg0 -j AURUM-WG-FWD',
    ]);
  });
});
