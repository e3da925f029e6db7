import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { IpcError } from '../bindings/IpcError';
import type { SetupState } from '../bindings/SetupState';
import type { UrlCheck } from '../bindings/UrlCheck';
import type { TargetProfileInfo } from '../bindings/targets/TargetProfileInfo';
import SetupPage from './SetupPage.svelte';
import { ids, keyedId } from '../lib/testIds';

// Only the fields the setup page reads; the full profile comes from Rust (setup_profiles).
const awsProfile = {
  kind: 'aws',
  display_name: 'AWS IAM Identity Center',
  blurb: 'Workforce identities for AWS accounts.',
  url_template: 'https://scim.<region>.amazonaws.com/<tenant id>/scim/v2',
  url_note: 'Copy the SCIM endpoint.',
  prefilled_base_url: null,
  auth_kinds: ['bearer'],
  capabilities: { groups: { meaning: 'groups' } },
  tokens: {
    created_in: 'IAM Identity Center console > Settings',
    max_active: 2,
    lifetime: { days: 365, source: 'secondary' },
    shown_once: null,
    console_only: true,
    rotation: [],
    notes: [],
  },
  default_settings: { manage_groups: true, validated_domains: [] },
  wizard: {
    vendor: [{ title: 'Enable automatic provisioning', body: 'In Settings choose Enable.', fields: ['base_url'] }],
    jumpcloud: [{ title: 'Bind user groups', body: 'On the User Groups tab check the groups.', fields: [] }],
  },
} as unknown as TargetProfileInfo;

function state(available: boolean): SetupState {
  return {
    keychain: available
      ? { available: true, reason: null, hint: null }
      : {
          available: false,
          reason: 'no OS keychain is available (no D-Bus); nothing was saved',
          hint: 'On Linux, install and unlock a Secret Service keyring.',
        },
    targets: [],
    jumpcloud: null,
    settings_path: '/data/settings.json',
    settings_error: null,
  };
}

const unauthorized: IpcError = {
  code: 'unauthorized',
  message: 'GET ServiceProviderConfig returned HTTP 401',
  hint: 'Token expired, revoked or for another tenant; create a new token.',
};

function mockSetup(available: boolean, calls: { cmd: string; args: unknown }[] = []): void {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case 'setup_profiles':
        return [awsProfile];
      case 'setup_state':
        return state(available);
      case 'target_validate_url': {
        const url = (args as { baseUrl: string }).baseUrl;
        const check: UrlCheck = url.startsWith('https://scim.')
          ? { ok: true, normalized: url.replace(/\/$/, ''), problem: null, rule: awsProfile.url_template }
          : { ok: false, normalized: null, problem: 'The host must be scim.<region>.amazonaws.com', rule: awsProfile.url_template };
        return check;
      }
      case 'target_test_config':
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw unauthorized;
      default:
        return null;
    }
  });
}

async function openAws(): Promise<void> {
  await fireEvent.click(await screen.findByTestId(keyedId('setupKind', 'aws')));
  await screen.findByTestId(ids.wizard);
}

describe('Setup page', () => {
  it('shows the URL rule and the fix inline, and the 401 hint after Test Connection', async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockSetup(true, calls);
    render(SetupPage);
    await openAws();

    expect(screen.getByTestId(ids.vendorSteps).textContent).toContain('Enable automatic provisioning');
    expect(screen.getByTestId(ids.tokenFacts).textContent).toContain('At most 2 tokens at a time');

    await fireEvent.input(screen.getByTestId(ids.wizardUrl), { target: { value: 'https://example.com/t/scim/v2' } });
    expect((await screen.findByTestId(ids.wizardUrlError)).textContent).toContain('The host must be');
    expect(screen.getByTestId(ids.wizardUrlRule).textContent).toBe(awsProfile.url_template);

    await fireEvent.input(screen.getByTestId(ids.wizardUrl), {
      target: { value: 'https://scim.us-east-1.amazonaws.com/t/scim/v2/' },
    });
    expect((await screen.findByTestId(ids.wizardUrlOk)).textContent).toContain('amazonaws.com/t/scim/v2');
    await fireEvent.input(screen.getByTestId(ids.wizardToken), { target: { value: 'wrong' } });
    await fireEvent.click(screen.getByTestId(ids.wizardTest));

    expect((await screen.findByTestId(ids.errorHint)).textContent).toContain('Token expired, revoked');
    const test = calls.find((c) => c.cmd === 'target_test_config');
    expect(test?.args).toMatchObject({ credentials: { kind: 'bearer', token: 'wrong' } });
  });

  it('says plainly when there is no keychain and does not offer to save the token', async () => {
    mockSetup(false);
    render(SetupPage);
    expect((await screen.findByTestId(ids.keychainUnavailable)).textContent).toContain(
      'No system keychain is available',
    );
    await openAws();
    expect(screen.getByTestId(ids.wizardNoKeychain).textContent).toContain('will not write them anywhere else');
    await fireEvent.input(screen.getByTestId(ids.wizardUrl), {
      target: { value: 'https://scim.us-east-1.amazonaws.com/t/scim/v2' },
    });
    await fireEvent.input(screen.getByTestId(ids.wizardToken), { target: { value: 'tok' } });
    await screen.findByTestId(ids.wizardUrlOk);
    expect(screen.getByTestId<HTMLButtonElement>('wizard-save').disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('wizard-test').disabled).toBe(false);
  });
});
