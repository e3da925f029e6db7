import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../bindings/ProbeResult';
import ProbePanel from './ProbePanel.svelte';
import { ids, keyedId } from '../../lib/testIds';

const probe: ProbeResult = {
  base_url: 'https://app.strongdm.com/provisioning/generic/v2',
  latency_ms: 40,
  requests: 5,
  discovery: { state: 'available' },
  patch: true,
  bulk: false,
  filter: true,
  filter_max_results: null,
  sort: false,
  etag: false,
  schemas: null,
  resource_types: null,
  user_count: 7,
  group_count: 2,
  paging: 'index',
  page_size: 100,
};

describe('Test Connection result', () => {
  it('says plainly when discovery is unavailable and still shows what the read probe found', () => {
    render(ProbePanel, { probe: { ...probe, discovery: { state: 'unavailable', status: 404 }, patch: false } });
    expect(screen.getByTestId(ids.probeDiscoveryUnavailable).textContent).toContain(
      'does not serve SCIM discovery (/ServiceProviderConfig answered HTTP 404)',
    );
    expect(screen.getByTestId(keyedId('probe', 'discovery')).textContent).toContain('discovery unavailable');
    expect(screen.getByTestId(keyedId('probe', 'users')).textContent).toBe('7 users');
    expect(screen.getByTestId(keyedId('probe', 'patch')).textContent).toBe('unknown');
  });

  it('has no discovery notice when the target serves it', () => {
    render(ProbePanel, { probe });
    expect(screen.queryByTestId(ids.probeDiscoveryUnavailable)).toBeNull();
    expect(screen.getByTestId(keyedId('probe', 'patch')).textContent).toBe('yes');
  });
});
