// The wizard's form logic, kept out of the components so it is unit-tested: defaults per target,
// which fields are still missing, the credentials to send, and the texts for token facts and
// Test Connection results. The URL rule itself is checked in Rust (target_validate_url).
import type { ProbeResult } from '../../bindings/ProbeResult';
import type { SavedTarget } from '../../bindings/SavedTarget';
import type { TargetDraft } from '../../bindings/TargetDraft';
import type { TargetKind } from '../../bindings/TargetKind';
import type { TargetAuthKind } from '../../bindings/targets/TargetAuthKind';
import type { TargetCredentials } from '../../bindings/targets/TargetCredentials';
import type { TargetProfileInfo } from '../../bindings/targets/TargetProfileInfo';
import type { TokenFacts } from '../../bindings/targets/TokenFacts';

/** Everything the wizard's inputs hold, secrets included (they stay in memory only). */
export interface WizardForm {
  id: string | null;
  kind: TargetKind;
  name: string;
  baseUrl: string;
  localEndpoint: boolean;
  authKind: TargetAuthKind;
  token: string;
  keyId: string;
  secretKey: string;
  /** Basic only: enter key ID + secret key, or paste the Authorization header value. */
  basicMode: BasicMode;
  /** The pasted `Basic <base64(key ID:secret key)>` value (basicMode 'value'). */
  basicValue: string;
  headerName: string;
  appId: string;
  manageGroups: boolean;
  domains: string;
  /** `YYYY-MM-DD`, the day the vendor created the token; '' means today (or the saved date). */
  tokenCreated: string;
}

export type BasicMode = 'pair' | 'value';

export function newForm(profile: TargetProfileInfo): WizardForm {
  return {
    id: null,
    kind: profile.kind,
    name: profile.display_name,
    baseUrl: profile.prefilled_base_url ?? '',
    localEndpoint: false,
    authKind: profile.auth_kinds[0] ?? 'bearer',
    token: '',
    keyId: '',
    secretKey: '',
    basicMode: 'pair',
    basicValue: '',
    headerName: '',
    appId: '',
    manageGroups: profile.default_settings.manage_groups,
    domains: '',
    tokenCreated: '',
  };
}

/** A saved target back in the form; secrets stay empty, meaning "keep the stored one". */
export function editForm(saved: SavedTarget): WizardForm {
  return {
    id: saved.id,
    kind: saved.kind,
    name: saved.name,
    baseUrl: saved.base_url,
    localEndpoint: saved.local_endpoint,
    authKind: saved.auth.kind,
    token: '',
    keyId: saved.auth.kind === 'basic' ? saved.auth.key_id : '',
    secretKey: '',
    basicMode: 'pair',
    basicValue: '',
    headerName: saved.auth.kind === 'header' ? saved.auth.name : '',
    appId: saved.jumpcloud_app_id ?? '',
    manageGroups: saved.manage_groups,
    domains: saved.validated_domains.join(', '),
    tokenCreated: saved.token_created_on ?? '',
  };
}

export function splitDomains(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

export function toDraft(form: WizardForm): TargetDraft {
  return {
    id: form.id,
    kind: form.kind,
    name: form.name.trim(),
    base_url: form.baseUrl.trim(),
    local_endpoint: form.localEndpoint,
    jumpcloud_app_id: form.appId === '' ? null : form.appId,
    manage_groups: form.manageGroups,
    validated_domains: splitDomains(form.domains),
    token_created_on: form.tokenCreated.trim() === '' ? null : form.tokenCreated.trim(),
  };
}

/** Scheme, host, port and path as the Rust side compares them; null when not a URL. */
function originKey(url: string): string | null {
  try {
    const u = new URL(url.trim());
    const path = u.pathname.replace(/\/+$/, '');
    return `${u.protocol}//${u.hostname.toLowerCase()}:${u.port}${path}`;
  } catch {
    return null;
  }
}

/**
 * Whether the form points somewhere else than the saved target: another kind, scheme, host,
 * port or base path, or another local-endpoint choice. The saved secret is then not used (the
 * Rust core refuses it); the admin enters it again. This only drives the form's text.
 */
export function addressChanged(form: WizardForm, saved: SavedTarget | null): boolean {
  if (saved === null) return false;
  if (form.kind !== saved.kind || form.localEndpoint !== saved.local_endpoint) return true;
  const now = originKey(form.baseUrl);
  return now === null || now !== originKey(saved.base_url);
}

const REGION_URLS: Record<string, string> = {
  us: 'https://console.jumpcloud.com',
  eu: 'https://console.eu.jumpcloud.com',
};

/** Whether the JumpCloud form points at another API address than the saved connection. */
export function jumpCloudAddressChanged(
  saved: { region: string; base_url: string | null } | null,
  region: string,
  baseUrl: string,
): boolean {
  if (saved === null) return false;
  const address = (r: string, u: string | null): string | null =>
    originKey(u !== null && u.trim() !== '' ? u : (REGION_URLS[r] ?? ''));
  const now = address(region, baseUrl);
  return now === null || now !== address(saved.region, saved.base_url);
}

/** What the token field says when the address was edited. */
export function reenterText(form: WizardForm, saved: SavedTarget | null): string | null {
  if (!addressChanged(form, saved) || saved === null) return null;
  const what = form.authKind === 'basic' ? 'secret key' : form.authKind === 'header' ? 'header value' : 'token';
  return `Re-enter the ${what} for the new address: the saved one is only sent to ${saved.base_url}.`;
}

/**
 * The credentials to send, or null when none were typed. Null is fine when editing a saved
 * target with the same kind of authentication (the stored secret is used); see `missingFields`.
 */
export function toCredentials(form: WizardForm): TargetCredentials | null {
  switch (form.authKind) {
    case 'bearer':
      return form.token.trim() === '' ? null : { kind: 'bearer', token: form.token };
    case 'basic':
      if (form.basicMode === 'value') {
        return form.basicValue.trim() === '' ? null : { kind: 'basic_value', value: form.basicValue };
      }
      // No secret typed: keep the stored one (see missingFields for when that is allowed).
      return form.secretKey.trim() === '' ? null : { kind: 'basic', key_id: form.keyId, secret_key: form.secretKey };
    case 'header':
      return form.headerName.trim() === '' && form.token.trim() === ''
        ? null
        : { kind: 'header', name: form.headerName, value: form.token };
  }
}

/** Labels of the fields still empty, in form order; empty when Test and Save may run. */
export function missingFields(form: WizardForm, saved: SavedTarget | null): string[] {
  const missing: string[] = [];
  if (form.name.trim() === '') missing.push('name');
  if (form.baseUrl.trim() === '') missing.push('base URL');
  // Editing with the same authentication kind, at the saved address, may keep the stored secret.
  const keepsSecret = saved !== null && saved.auth.kind === form.authKind && !addressChanged(form, saved);
  switch (form.authKind) {
    case 'bearer':
      if (form.token.trim() === '' && !keepsSecret) missing.push('token');
      break;
    case 'basic':
      if (form.basicMode === 'value') {
        if (form.basicValue.trim() === '' && !keepsSecret) missing.push('Authorization header value');
        break;
      }
      if (form.keyId.trim() === '') missing.push('key ID');
      {
        const sameKeyId = saved?.auth.kind === 'basic' && saved.auth.key_id === form.keyId.trim();
        if (form.secretKey.trim() === '' && !(keepsSecret && sameKeyId)) missing.push('secret key');
      }
      break;
    case 'header':
      if (form.headerName.trim() === '') missing.push('header name');
      if (form.token.trim() === '' && !keepsSecret) missing.push('header value');
      break;
  }
  return missing;
}

const AUTH_LABELS: Record<TargetAuthKind, string> = {
  bearer: 'Bearer token',
  basic: 'Service account key (Basic)',
  header: 'Custom header',
};

export function authLabel(kind: TargetAuthKind): string {
  return AUTH_LABELS[kind];
}

/** Short facts shown beside the token field, e.g. "At most 2 tokens at a time". */
export function tokenFactLines(facts: TokenFacts): string[] {
  const lines: string[] = [];
  if (facts.max_active !== null) {
    lines.push(`At most ${facts.max_active} token${facts.max_active === 1 ? '' : 's'} at a time`);
  }
  if (facts.lifetime !== null) {
    const days = facts.lifetime.days;
    const span = days % 365 === 0 ? `${days / 365} year${days === 365 ? '' : 's'}` : `${days} days`;
    lines.push(
      facts.lifetime.source === 'vendor'
        ? `Expires after ${span}`
        : `Expires after about ${span} (third-party sources)`,
    );
  }
  if (facts.shown_once === true) lines.push('Shown only once: copy it before closing the dialog');
  if (facts.console_only) lines.push('Created only in the vendor console (no API)');
  return lines;
}

/**
 * Days until a token expires, counted from the day the vendor created it (`createdOn`,
 * `YYYY-MM-DD`) or else from when it was saved; null when the lifetime is not known.
 */
export function tokenDaysLeft(
  facts: TokenFacts,
  savedAt: string | null,
  now: Date = new Date(),
  createdOn: string | null = null,
): number | null {
  if (facts.lifetime === null) return null;
  const start = createdOn !== null ? new Date(`${createdOn}T00:00:00Z`) : savedAt !== null ? new Date(savedAt) : null;
  if (start === null || Number.isNaN(start.getTime())) return null;
  const elapsed = Math.floor((now.getTime() - start.getTime()) / 86_400_000);
  return facts.lifetime.days - elapsed;
}

/** `Basic base64(keyId:secret)`, the value JumpCloud's "Authorization header value" takes. */
export function basicHeaderValue(keyId: string, secret: string): string {
  const bytes = new TextEncoder().encode(`${keyId.trim()}:${secret.trim()}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/**
 * The value to paste in JumpCloud's "Authorization header value" for a basic-auth target, from the
 * key pair or a pasted value (any "Authorization:" or "Basic " prefix dropped); null until complete.
 */
export function jumpCloudHeaderValue(form: WizardForm): string | null {
  if (form.authKind !== 'basic') return null;
  if (form.basicMode === 'value') {
    const pasted = form.basicValue.trim();
    return pasted === '' ? null : `Basic ${pasted.replace(/^authorization:\s*/i, '').replace(/^basic\s+/i, '')}`;
  }
  return form.keyId.trim() !== '' && form.secretKey.trim() !== '' ? basicHeaderValue(form.keyId, form.secretKey) : null;
}

/** The header value to show, masked unless revealed: the prefix stays readable. */
export function maskedHeader(value: string, revealed: boolean): string {
  if (revealed) return value;
  const [scheme, rest = ''] = value.split(' ', 2);
  return `${scheme} ${'•'.repeat(Math.min(rest.length, 24))}`;
}

/** Today as `YYYY-MM-DD` in the admin's time zone (the date input's format). */
export function today(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export interface ProbeLine {
  label: string;
  value: string;
}

/** Test Connection's findings as label/value rows. Without discovery the capabilities are unknown, not "no". */
export function probeLines(p: ProbeResult): ProbeLine[] {
  const served = p.discovery.state === 'available';
  const yes = (on: boolean): string => (served ? (on ? 'yes' : 'no') : 'unknown');
  const count = (n: number | null, what: string): string =>
    n === null ? `not reported by the target` : `${n} ${what}${n === 1 ? '' : 's'}`;
  const lines: ProbeLine[] = [
    { label: 'Discovery', value: discoveryText(p) },
    { label: 'Users', value: count(p.user_count, 'user') },
    { label: 'Groups', value: count(p.group_count, 'group') },
    {
      label: 'Paging',
      value:
        p.paging === 'cursor'
          ? `cursor (nextCursor), ${p.page_size} per page`
          : `startIndex/count, ${p.page_size} per page`,
    },
    { label: 'PATCH', value: yes(p.patch) },
    {
      label: 'Filter',
      value:
        served && p.filter
          ? p.filter_max_results === null
            ? 'yes'
            : `yes (at most ${p.filter_max_results} results)`
          : yes(p.filter),
    },
    { label: 'Sort / ETag / Bulk', value: served ? `${yes(p.sort)} / ${yes(p.etag)} / ${yes(p.bulk)}` : 'unknown' },
    {
      label: 'Schemas',
      value: p.schemas === null ? 'not served (/Schemas)' : p.schemas.map(shortSchema).join(', ') || 'none',
    },
    {
      label: 'Resource types',
      value:
        p.resource_types === null
          ? 'not served (/ResourceTypes)'
          : p.resource_types.map((r) => `${r.name} (${r.endpoint})`).join(', ') || 'none',
    },
  ];
  return lines;
}

/** Whether /ServiceProviderConfig was served; "unavailable" is a finding, not a failure. */
export function discoveryText(p: ProbeResult): string {
  if (p.discovery.state === 'available') return 'available (/ServiceProviderConfig)';
  return (
    `discovery unavailable: /ServiceProviderConfig answered HTTP ${p.discovery.status}. ` +
    'The users were read with GET /Users?count=1 instead; capabilities are unknown.'
  );
}

/** `urn:ietf:params:scim:schemas:core:2.0:User` -> `core User`; other URNs stay whole. */
export function shortSchema(urn: string): string {
  const core = /^urn:ietf:params:scim:schemas:core:2\.0:(\w+)$/.exec(urn);
  if (core) return `core ${core[1]}`;
  const ent = /^urn:ietf:params:scim:schemas:extension:enterprise:2\.0:(\w+)$/.exec(urn);
  if (ent) return `enterprise ${ent[1]}`;
  return urn;
}

export function probeHeadline(p: ProbeResult): string {
  return `Connected to ${p.base_url} in ${p.latency_ms} ms (${p.requests} read-only request${p.requests === 1 ? '' : 's'}).`;
}
