import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../bindings/ProbeResult';
import type { SavedTarget } from '../../bindings/SavedTarget';
import type { TokenFacts } from '../../bindings/targets/TokenFacts';
import {
  addressChanged,
  basicHeaderValue,
  editForm,
  jumpCloudAddressChanged,
  jumpCloudHeaderValue,
  maskedHeader,
  missingFields,
  reenterText,
  probeHeadline,
  probeLines,
  shortSchema,
  splitDomains,
  toCredentials,
  toDraft,
  tokenDaysLeft,
  tokenFactLines,
  type WizardForm,
} from './setupForm';

function form(over: Partial<WizardForm> = {}): WizardForm {
  return {
    id: null,
    kind: 'aws',
    name: 'AWS prod',
    baseUrl: 'https://scim.us-east-1.amazonaws.com/t/scim/v2',
    localEndpoint: false,
    authKind: 'bearer',
    token: 'tok',
    keyId: '',
    secretKey: '',
    basicMode: 'pair',
    basicValue: '',
    headerName: '',
    appId: '',
    manageGroups: true,
    domains: '',
    tokenCreated: '',
    ...over,
  };
}

const saved: SavedTarget = {
  id: 'unity-1',
  kind: 'unity',
  name: 'Unity',
  base_url: 'https://services.api.unity.com/scim/v2/tenants/1',
  local_endpoint: false,
  auth: { kind: 'basic', key_id: 'kid' },
  jumpcloud_app_id: 'app-9',
  manage_groups: false,
  validated_domains: ['example.com', 'corp.example.org'],
  created_at: '2026-01-01T00:00:00Z',
  token_saved_at: '2026-01-01T00:00:00Z',
  token_created_on: '2025-12-20',
  problem: null,
};

const awsFacts: TokenFacts = {
  created_in: 'IAM Identity Center console',
  max_active: 2,
  lifetime: { days: 365, source: 'secondary' },
  shown_once: null,
  console_only: true,
  rotation: [],
  notes: [],
};

describe('missingFields', () => {
  it('names every empty field of a new target in form order', () => {
    expect(missingFields(form({ name: ' ', baseUrl: '', token: '' }), null)).toEqual(['name', 'base URL', 'token']);
    expect(missingFields(form({ authKind: 'basic', token: '' }), null)).toEqual(['key ID', 'secret key']);
    expect(missingFields(form({ authKind: 'header', token: '' }), null)).toEqual(['header name', 'header value']);
    expect(missingFields(form(), null)).toEqual([]);
  });

  it('lets an edit keep the stored secret only for the same kind of authentication', () => {
    const edit = editForm(saved);
    expect(edit.secretKey).toBe('');
    expect(missingFields(edit, saved)).toEqual([]);
    expect(missingFields({ ...edit, authKind: 'bearer' }, saved)).toEqual(['token']);
  });
});

describe('toCredentials and toDraft', () => {
  it('sends nothing when no secret was typed, so the stored one is kept', () => {
    expect(toCredentials(form({ token: '  ' }))).toBeNull();
    expect(toCredentials(editForm(saved))).toBeNull();
    expect(toCredentials(form())).toEqual({ kind: 'bearer', token: 'tok' });
    expect(toCredentials(form({ authKind: 'header', headerName: 'X-Key', token: 'v' }))).toEqual({
      kind: 'header',
      name: 'X-Key',
      value: 'v',
    });
  });

  it('trims the draft, splits domains and never carries a secret', () => {
    const draft = toDraft(
      form({ name: ' AWS ', baseUrl: ' https://x ', domains: 'a.com, b.org;c.net\nd.io', token: 'sekret-9' }),
    );
    expect(draft.name).toBe('AWS');
    expect(draft.base_url).toBe('https://x');
    expect(draft.validated_domains).toEqual(['a.com', 'b.org', 'c.net', 'd.io']);
    expect(draft.jumpcloud_app_id).toBeNull();
    expect(JSON.stringify(draft)).not.toContain('sekret-9');
    expect(splitDomains(' , ')).toEqual([]);
  });
});

describe('a saved secret stays with its address', () => {
  const aws: SavedTarget = {
    ...saved,
    id: 'aws-1',
    kind: 'aws',
    base_url: 'https://scim.us-east-1.amazonaws.com/t/scim/v2',
    auth: { kind: 'bearer' },
  };
  const edit = (over: Partial<WizardForm>): WizardForm => ({ ...editForm(aws), ...over });

  it('keeps the stored token while the address is the same however it is written', () => {
    for (const same of [aws.base_url, `${aws.base_url}/`, 'https://SCIM.us-east-1.amazonaws.com:443/t/scim/v2']) {
      expect(addressChanged(edit({ baseUrl: same }), aws), same).toBe(false);
      expect(missingFields(edit({ baseUrl: same }), aws)).toEqual([]);
      expect(reenterText(edit({ baseUrl: same }), aws)).toBeNull();
    }
  });

  it('requires the token again when kind, scheme, host, port, path or the local choice change', () => {
    const changed: Partial<WizardForm>[] = [
      { kind: 'generic' },
      { localEndpoint: true },
      { baseUrl: 'http://scim.us-east-1.amazonaws.com/t/scim/v2' },
      { baseUrl: 'https://scim.us-east-1.amazonaws.com.evil.test/t/scim/v2' },
      { baseUrl: 'https://scim.us-east-1.amazonaws.com:8443/t/scim/v2' },
      { baseUrl: 'https://scim.us-east-1.amazonaws.com/other/scim/v2' },
      { baseUrl: 'not a url' },
    ];
    for (const over of changed) {
      const f = edit(over);
      expect(addressChanged(f, aws), JSON.stringify(over)).toBe(true);
      expect(missingFields(f, aws)).toEqual(['token']);
      expect(reenterText(f, aws)).toBe(
        `Re-enter the token for the new address: the saved one is only sent to ${aws.base_url}.`,
      );
      expect(missingFields({ ...f, token: 'typed again' }, aws)).toEqual([]);
    }
    expect(reenterText(edit({ localEndpoint: true }), null)).toBeNull();
  });

  it('asks for the secret key again for Basic, and the JumpCloud key likewise', () => {
    const moved = { ...editForm(saved), baseUrl: 'https://services.api.unity.com/scim/v2/tenants/2' };
    expect(missingFields(moved, saved)).toEqual(['secret key']);
    expect(reenterText(moved, saved)).toContain('Re-enter the secret key for the new address');
    const conn = { region: 'us', base_url: null };
    expect(jumpCloudAddressChanged(conn, 'us', '')).toBe(false);
    expect(jumpCloudAddressChanged(conn, 'eu', 'https://console.jumpcloud.com/')).toBe(false);
    expect(jumpCloudAddressChanged(conn, 'eu', '')).toBe(true);
    expect(jumpCloudAddressChanged(conn, 'us', 'http://127.0.0.1:9999')).toBe(true);
    expect(jumpCloudAddressChanged(null, 'eu', '')).toBe(false);
  });
});

describe('Unity credentials', () => {
  it('computes the Authorization header value and shows it masked until revealed', () => {
    // RFC 7617 section 2.
    const value = basicHeaderValue('Aladdin', 'open sesame');
    expect(value).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(maskedHeader(value, false)).toBe(`Basic ${'•'.repeat(24)}`);
    expect(maskedHeader(value, false)).not.toContain('QWxh');
    expect(maskedHeader(value, true)).toBe(value);
  });

  it('offers the header value for JumpCloud only once it is complete', () => {
    const pair = form({ kind: 'unity', authKind: 'basic', basicMode: 'pair', keyId: 'Aladdin', secretKey: 'open sesame' });
    expect(jumpCloudHeaderValue(pair)).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(jumpCloudHeaderValue({ ...pair, secretKey: ' ' })).toBeNull();
    const pasted = { ...pair, basicMode: 'value' as const, basicValue: ' Authorization: Basic a2lkOnM= ' };
    expect(jumpCloudHeaderValue(pasted)).toBe('Basic a2lkOnM=');
    expect(jumpCloudHeaderValue({ ...pasted, basicValue: 'a2lkOnM=' })).toBe('Basic a2lkOnM=');
    expect(jumpCloudHeaderValue({ ...pair, authKind: 'bearer' })).toBeNull();
  });

  it('sends a pasted header value as it is, for the core to check and split', () => {
    const pasted = form({ kind: 'unity', authKind: 'basic', basicMode: 'value', basicValue: 'Basic a2lkOnM=' });
    expect(toCredentials(pasted)).toEqual({ kind: 'basic_value', value: 'Basic a2lkOnM=' });
    expect(missingFields(pasted, null)).toEqual([]);
    expect(missingFields({ ...pasted, basicValue: ' ' }, null)).toEqual(['Authorization header value']);
    // A changed key ID needs its secret key.
    expect(missingFields({ ...editForm(saved), keyId: 'other' }, saved)).toEqual(['secret key']);
  });
});

describe('token creation date', () => {
  it('starts empty for a new target, shows the saved date when editing and travels in the draft', () => {
    expect(toDraft(form()).token_created_on).toBeNull();
    expect(editForm(saved).tokenCreated).toBe('2025-12-20');
    expect(toDraft(editForm(saved)).token_created_on).toBe('2025-12-20');
  });

  it('counts the days left from the creation date rather than the save date', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(tokenDaysLeft(awsFacts, '2026-01-01T00:00:00Z', now, '2025-12-20')).toBe(365 - 346);
    expect(tokenDaysLeft(awsFacts, null, now, '2025-12-20')).toBe(365 - 346);
    expect(tokenDaysLeft(awsFacts, '2026-01-01T00:00:00Z', now, null)).toBe(365 - 334);
  });
});

describe('token facts', () => {
  it('says how many tokens AWS allows and that the year comes from third parties', () => {
    expect(tokenFactLines(awsFacts)).toEqual([
      'At most 2 tokens at a time',
      'Expires after about 1 year (third-party sources)',
      'Created only in the vendor console (no API)',
    ]);
    expect(
      tokenFactLines({ ...awsFacts, max_active: null, lifetime: { days: 365, source: 'vendor' }, shown_once: true, console_only: false }),
    ).toEqual(['Expires after 1 year', 'Shown only once: copy it before closing the dialog']);
  });

  it('counts the days left from the date the token was saved', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(tokenDaysLeft(awsFacts, '2026-01-01T00:00:00Z', now)).toBe(365 - 334);
    expect(tokenDaysLeft(awsFacts, null, now)).toBeNull();
    expect(tokenDaysLeft({ ...awsFacts, lifetime: null }, '2026-01-01T00:00:00Z', now)).toBeNull();
    expect(tokenDaysLeft(awsFacts, 'not a date', now)).toBeNull();
  });
});

describe('probe results', () => {
  const probe: ProbeResult = {
    base_url: 'http://127.0.0.1:8000/scim/v2',
    latency_ms: 12,
    requests: 5,
    discovery: { state: 'available' },
    patch: true,
    bulk: false,
    filter: true,
    filter_max_results: 200,
    sort: false,
    etag: true,
    schemas: [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'urn:example:custom',
    ],
    resource_types: [{ name: 'User', endpoint: '/Users' }],
    user_count: 1,
    group_count: null,
    paging: 'cursor',
    page_size: 100,
  };

  it('shows counts, paging style, capabilities and schemas', () => {
    const lines = Object.fromEntries(probeLines(probe).map((l) => [l.label, l.value]));
    expect(lines.Users).toBe('1 user');
    expect(lines.Groups).toBe('not reported by the target');
    expect(lines.Paging).toBe('cursor (nextCursor), 100 per page');
    expect(lines.Filter).toBe('yes (at most 200 results)');
    expect(lines['Sort / ETag / Bulk']).toBe('no / yes / no');
    expect(lines.Schemas).toBe('core User, enterprise User, urn:example:custom');
    expect(lines['Resource types']).toBe('User (/Users)');
    expect(probeHeadline(probe)).toBe('Connected to http://127.0.0.1:8000/scim/v2 in 12 ms (5 read-only requests).');
  });

  it('says when discovery endpoints are not served', () => {
    const lines = Object.fromEntries(
      probeLines({ ...probe, schemas: null, resource_types: null, paging: 'index' }).map((l) => [l.label, l.value]),
    );
    expect(lines.Schemas).toBe('not served (/Schemas)');
    expect(lines['Resource types']).toBe('not served (/ResourceTypes)');
    expect(lines.Paging).toBe('startIndex/count, 100 per page');
    expect(lines.Discovery).toBe('available (/ServiceProviderConfig)');
    expect(shortSchema('urn:ietf:params:scim:schemas:core:2.0:Group')).toBe('core Group');
  });

  it('reports missing discovery plainly, with what the read probe found and capabilities unknown', () => {
    const lines = Object.fromEntries(
      probeLines({
        ...probe,
        discovery: { state: 'unavailable', status: 404 },
        patch: false,
        filter: false,
        etag: false,
        schemas: null,
        resource_types: null,
        user_count: 3,
      }).map((l) => [l.label, l.value]),
    );
    expect(lines.Discovery).toBe(
      'discovery unavailable: /ServiceProviderConfig answered HTTP 404. The users were read with GET /Users?count=1 instead; capabilities are unknown.',
    );
    expect(lines.Users).toBe('3 users');
    expect(lines.PATCH).toBe('unknown');
    expect(lines.Filter).toBe('unknown');
    expect(lines['Sort / ETag / Bulk']).toBe('unknown');
  });
});
