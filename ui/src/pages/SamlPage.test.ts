import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { SamlBuild } from '../bindings/SamlBuild';
import type { SamlField } from '../bindings/SamlField';
import type { SamlUserOption } from '../bindings/SamlUserOption';
import type { Mapping } from '../bindings/saml/Mapping';
import type { Preset } from '../bindings/saml/Preset';
import type { ValueReport } from '../bindings/saml/ValueReport';
import SamlPage from './SamlPage.svelte';
import { ids } from '../lib/testIds';

const FIELDS: SamlField[] = [
  { name: 'email', kind: 'standard', users_with_value: 195 },
  { name: 'department', kind: 'standard', users_with_value: 183 },
  { name: 'costCenter', kind: 'custom', users_with_value: 60 },
];
const PRESETS: Preset[] = [
  {
    id: 'cost-center-from-department',
    mapping: { tagKey: 'CostCenter', source: { kind: 'attribute', value: 'department' } },
    description: 'Cost center taken from the department.',
  },
];
const USERS: SamlUserOption[] = [{ id: 'u1', username: 'ada', display: 'Ada Lovelace' }];

/** Console labels as the saml crate's table has them (only sourced ones). */
const LABELS: Record<string, string> = { email: 'Email (Work)' };

/** A build that echoes what it was asked, so the test sees the page sent the right mappings. */
function echoBuild(mappings: Mapping[], userId: string | null, consoleKeys: string[] = []): SamlBuild {
  const overridden = mappings.flatMap((m, i) => {
    const key = consoleKeys.find((k) => k.toLowerCase() === m.tagKey.toLowerCase());
    return key === undefined
      ? []
      : [
          {
            severity: 'warning' as const,
            code: { kind: 'overriddenByConsole' as const, consoleKey: key },
            mappingIndex: i,
            tagKey: m.tagKey,
            message: `Tag "${m.tagKey}" is also configured in IAM Identity Center as "${key}"; AWS uses that identity-store value and ignores the one sent in SAML`,
          },
        ];
  });
  const xml =
    `<saml:AttributeStatement>\n` +
    mappings.map((m) => `  <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:${m.tagKey}">` +
      `<saml:AttributeValue>${userId ?? 'template'}:${m.source.value}</saml:AttributeValue></saml:Attribute>\n`).join('') +
    `</saml:AttributeStatement>\n`;
  return {
    xml,
    xml_error: null,
    issues: [
      ...(mappings.some((m) => m.tagKey === '')
        ? [{ severity: 'error' as const, code: { kind: 'keyEmpty' as const }, mappingIndex: mappings.findIndex((m) => m.tagKey === ''), tagKey: '', message: 'Mapping #2: the tag key is empty' }]
        : []),
      ...overridden,
    ],
    rows: mappings.map((m) => ({
      serviceProviderAttributeName: `https://aws.amazon.com/SAML/Attributes/AccessControl:${m.tagKey}`,
      jumpcloudAttributeName: m.source.kind === 'attribute' ? m.source.value : null,
      jumpcloudConsoleLabel: m.source.kind === 'attribute' ? (LABELS[m.source.value] ?? null) : null,
      constantValue: m.source.kind === 'literal' ? m.source.value : null,
    })),
    tsv: 'Service Provider Attribute Name\tJumpCloud Attribute Name\tConstant Value\n',
    tsv_error: null,
    user: userId ? (USERS[0] ?? null) : null,
  };
}

function report(mappings: Mapping[]): ValueReport {
  return {
    totalUsers: 195,
    mappings: mappings.map((m, i) => ({
      mappingIndex: i,
      tagKey: m.tagKey,
      source: m.source,
      counts: { ok: 183, missing: 12, empty: 0, tooLong: 0, invalidChar: 0, forbiddenControlChar: 0 },
      distinctValues: 9,
      problems: [{ userId: 'u7', username: 'cher', problem: { kind: 'missing' } }],
    })),
  };
}

interface Calls {
  builds: { mappings: Mapping[]; userId: string | null; consoleKeys: string[] }[];
  other: { cmd: string; args: unknown }[];
}

function mockSaml(savePath: string | null = '/tmp/out.xml'): Calls {
  const calls: Calls = { builds: [], other: [] };
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case 'saml_fields':
        return FIELDS;
      case 'saml_presets':
        return PRESETS;
      case 'saml_users':
        return USERS;
      case 'saml_build': {
        const request = {
          mappings: a.mappings as Mapping[],
          userId: a.userId as string | null,
          consoleKeys: a.consoleKeys as string[],
        };
        calls.builds.push(request);
        return echoBuild(request.mappings, request.userId, request.consoleKeys);
      }
      case 'saml_check_values':
        return report(a.mappings as Mapping[]);
      case 'export_save':
        // Rust opens the dialog and writes; the window only says what to export.
        calls.other.push({ cmd, args });
        return savePath;
      default:
        calls.other.push({ cmd, args });
        return null;
    }
  });
  return calls;
}

function nth(testId: string, index: number): HTMLElement {
  const found = screen.getAllByTestId(testId)[index];
  if (!found) throw new Error(`no ${testId} #${index}`);
  return found;
}

/** Selects like a user does: Svelte's bind:value reads the `:checked` option on change. */
async function choose(select: HTMLElement, value: string): Promise<void> {
  const option = Array.from((select as HTMLSelectElement).options).find((o) => o.value === value);
  if (!option) throw new Error(`no option ${value}`);
  option.selected = true;
  await fireEvent.change(select);
}

async function addTwoTags(): Promise<void> {
  const preset = await screen.findByTestId(ids.samlPreset);
  await fireEvent.change(preset, { target: { value: 'cost-center-from-department' } });
  await fireEvent.click(screen.getByTestId(ids.samlAddRow));
  await fireEvent.input(nth('saml-tag-key', 1), { target: { value: 'Email' } });
  await fireEvent.change(nth('saml-source', 1), { target: { value: 'field:email' } });
}

describe('SAML page', () => {
  it('builds from a preset and a typed row, and shows the XML text exactly', async () => {
    const calls = mockSaml();
    render(SamlPage);
    await addTwoTags();

    const expected = echoBuild(
      [
        { tagKey: 'CostCenter', source: { kind: 'attribute', value: 'department' } },
        { tagKey: 'Email', source: { kind: 'attribute', value: 'email' } },
      ],
      null,
    ).xml;
    await expect.poll(() => screen.getByTestId(ids.samlXml).textContent).toBe(expected);
    expect(calls.builds.at(-1)?.userId).toBeNull();
    expect(screen.getAllByTestId(ids.samlRow)).toHaveLength(2);
    // The mapping table lists the JumpCloud rows.
    const table = screen.getByTestId(ids.samlMappingTable);
    expect(within(table).getByText('https://aws.amazon.com/SAML/Attributes/AccessControl:Email')).toBeTruthy();

    // Choosing a user resolves values for that user.
    await choose(screen.getByTestId(ids.samlUserSelect), 'u1');
    await expect.poll(() => screen.getByTestId(ids.samlXml).textContent).toContain('u1:department');
    expect(calls.builds.at(-1)?.userId).toBe('u1');
  });

  it('lists validation issues linked to their row', async () => {
    mockSaml();
    render(SamlPage);
    const preset = await screen.findByTestId(ids.samlPreset);
    await fireEvent.change(preset, { target: { value: 'cost-center-from-department' } });
    await fireEvent.click(screen.getByTestId(ids.samlAddRow));

    const issue = await screen.findByTestId(ids.samlIssue);
    expect(issue.textContent).toContain('the tag key is empty');
    expect(issue.dataset.severity).toBe('error');
    await fireEvent.click(within(issue).getByText('Row 2'));
    expect(document.activeElement).toBe(nth('saml-tag-key', 1));
    expect(nth('saml-row', 1).classList.contains('error')).toBe(true);
  });

  it('says how many users lack a value, with the users behind a disclosure', async () => {
    mockSaml();
    render(SamlPage);
    const preset = await screen.findByTestId(ids.samlPreset);
    await fireEvent.change(preset, { target: { value: 'cost-center-from-department' } });

    const item = await screen.findByTestId(ids.samlValueCheckItem, {}, { timeout: 2000 });
    expect(item.textContent).toContain('12 users have no department');
    expect(item.textContent).toContain('183 users OK');
    expect(within(item).getByText('cher')).toBeTruthy();
  });

  it('copies the XML and asks Rust to save the statement, with a toast each time', async () => {
    const calls = mockSaml();
    render(SamlPage);
    await addTwoTags();
    await expect.poll(() => screen.getByTestId(ids.samlXml).textContent).toContain('AccessControl:Email');
    const xml = screen.getByTestId(ids.samlXml).textContent;

    await fireEvent.click(screen.getByTestId(ids.samlCopy));
    await expect.poll(() => screen.queryByTestId(ids.samlToast)?.textContent).toBe('XML copied to the clipboard.');
    const copied = calls.other.find((c) => c.cmd === 'plugin:clipboard-manager|write_text');
    expect((copied?.args as { text: string }).text).toBe(xml);

    await fireEvent.click(screen.getByTestId(ids.samlSave));
    await expect.poll(() => screen.queryByTestId(ids.samlToast)?.textContent).toBe('Saved to /tmp/out.xml.');
    const saved = calls.other.find((c) => c.cmd === 'export_save');
    const request = (saved?.args as { request: Record<string, unknown> }).request;
    expect(request.kind).toBe('saml_xml');
    expect(request.user_id).toBeNull();
    expect(request.mappings).toHaveLength(2);
    // No path and no contents travel from the window.
    expect(Object.keys(saved?.args as object)).toEqual(['request']);
    expect(JSON.stringify(saved?.args)).not.toContain('/tmp/out.xml');
  });

  it('shows no toast when the save dialog is cancelled', async () => {
    const calls = mockSaml(null);
    render(SamlPage);
    await addTwoTags();
    await expect.poll(() => screen.getByTestId(ids.samlXml).textContent).toContain('AccessControl:Email');
    await fireEvent.click(screen.getByTestId(ids.samlSave));
    await expect.poll(() => calls.other.some((c) => c.cmd === 'export_save')).toBe(true);
    expect(screen.queryByTestId(ids.samlToast)).toBeNull();
  });

  it('lists the AWS prerequisites and shows JumpCloud console labels beside the API names', async () => {
    mockSaml();
    render(SamlPage);
    await addTwoTags();
    const prereq = await screen.findByTestId(ids.samlPrerequisites);
    expect(prereq.textContent).toContain('Enable "Attributes for access control" in IAM Identity Center');
    expect(prereq.textContent).toContain('A permission set that uses the tags');

    await expect.poll(() => screen.getAllByTestId(ids.samlConsoleLabel).map((l) => l.textContent)).toEqual([
      'no console label known',
      'console: Email (Work)',
    ]);
    const table = screen.getByTestId(ids.samlMappingTable);
    expect(within(table).getByText('email')).toBeTruthy();
  });

  it('sends the keys set on the console page and shows the override warning on the right row', async () => {
    const calls = mockSaml();
    render(SamlPage);
    await addTwoTags();
    await fireEvent.input(await screen.findByTestId(ids.samlConsoleKeys), {
      target: { value: 'costcenter,\n Team Name ' },
    });
    await expect.poll(() => calls.builds.at(-1)?.consoleKeys).toEqual(['costcenter', 'Team Name']);
    const issue = await screen.findByTestId(ids.samlIssue);
    expect(issue.dataset.severity).toBe('warning');
    expect(issue.textContent).toContain('also configured in IAM Identity Center as "costcenter"');
    expect(within(issue).getByText('Row 1')).toBeTruthy();
    expect(nth('saml-row', 0).classList.contains('warning')).toBe(true);
  });
});
