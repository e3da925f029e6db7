import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { HomeOverview } from '../bindings/HomeOverview';
import type { TargetStatus } from '../bindings/TargetStatus';
import { deferred, okStatus, overviewFixture, unauthorized } from '../test/fixtures';
import HomePage from './HomePage.svelte';
import { ids } from '../lib/testIds';

function cardNamed(name: string): HTMLElement {
  const card = screen
    .getAllByTestId(ids.targetCard)
    .find((c) => within(c).getByTestId(ids.targetName).textContent === name);
  if (!card) throw new Error(`no card named ${name}`);
  return card;
}

describe('Home page', () => {
  it('shows a progress indicator while home_overview runs, then tiles and target cards', async () => {
    const pending = deferred<HomeOverview>();
    mockIPC((cmd) => (cmd === 'home_overview' ? pending.promise : null));
    render(HomePage);

    expect(screen.getByTestId(ids.pageHome)).toBeTruthy();
    expect(screen.getByRole('progressbar')).toBeTruthy();

    pending.resolve(overviewFixture());

    expect((await screen.findByTestId(ids.directoryUsers)).textContent).toBe('1250');
    expect(screen.getByTestId(ids.directoryGroups).textContent).toBe('48');
    expect(screen.getByTestId(ids.directorySuspended).textContent).toBe('7');
    expect(screen.getByTestId(ids.directoryApplications).textContent).toBe('5');
    expect(screen.getByTestId(ids.directorySource).textContent).toBe('Demo directory');
    expect(screen.queryByRole('progressbar')).toBeNull();

    const cards = screen.getAllByTestId(ids.targetCard);
    expect(cards).toHaveLength(2);
    const aws = cardNamed('AWS IAM Identity Center');
    expect(within(aws).getByTestId(ids.targetStatus).textContent).toBe('Not checked');
    expect(within(aws).getByText('Simulated')).toBeTruthy();
    expect(within(aws).getByText('http://127.0.0.1:41001/scim/v2')).toBeTruthy();
    const sdm = cardNamed('StrongDM');
    expect(within(sdm).getByTestId(ids.targetStatus).textContent).toBe('Error');
    expect(within(sdm).getByText('Create a new SCIM token in StrongDM.')).toBeTruthy();
    expect(within(sdm).getByText('85 ms')).toBeTruthy();
  });

  it('Test connection shows a spinner, then updates the status pill and counts', async () => {
    const test = deferred<TargetStatus>();
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'home_overview') return overviewFixture();
      if (cmd === 'target_test_connection') {
        asked.push(args);
        return test.promise;
      }
      return null;
    });
    render(HomePage);

    await screen.findAllByTestId(ids.targetCard);
    const aws = cardNamed('AWS IAM Identity Center');
    const button = within(aws).getByTestId(ids.testConnection);
    await fireEvent.click(button);

    expect(asked).toEqual([{ targetId: 'aws-demo' }]);
    expect(button.textContent).toContain('Testing');
    expect((button as HTMLButtonElement).disabled).toBe(true);

    test.resolve(okStatus);

    await expect.poll(() => within(aws).getByTestId(ids.targetStatus).textContent).toBe('OK');
    expect(within(aws).getByTestId(ids.targetUsers).textContent).toBe('1180');
    expect(within(aws).getByTestId(ids.targetGroups).textContent).toBe('45');
    expect(within(aws).getByText('42 ms')).toBeTruthy();
    expect(button.textContent).toContain('Test connection');
    expect((button as HTMLButtonElement).disabled).toBe(false);
    // The other card is untouched.
    expect(within(cardNamed('StrongDM')).getByTestId(ids.targetStatus).textContent).toBe('Error');
  });

  it('a failing target_test_connection command marks only that card as Error', async () => {
    mockIPC((cmd) => {
      if (cmd === 'home_overview') return overviewFixture();
      return Promise.reject({ code: 'not_found', message: 'No target with id aws-demo', hint: null });
    });
    render(HomePage);

    await screen.findAllByTestId(ids.targetCard);
    const aws = cardNamed('AWS IAM Identity Center');
    await fireEvent.click(within(aws).getByTestId(ids.testConnection));

    await expect.poll(() => within(aws).getByTestId(ids.targetStatus).textContent).toBe('Error');
    expect(within(aws).getByText('No target with id aws-demo')).toBeTruthy();
  });

  it('shows the IpcError message and hint in a banner when home_overview fails', async () => {
    mockIPC(() => Promise.reject(unauthorized));
    render(HomePage);

    const banner = await screen.findByTestId(ids.errorBanner);
    expect(within(banner).getByTestId(ids.errorMessage).textContent).toBe(unauthorized.message);
    expect(within(banner).getByTestId(ids.errorHint).textContent).toBe(unauthorized.hint);
    expect(screen.queryByTestId(ids.targetCard)).toBeNull();
  });

  it('retries after an error', async () => {
    let fail = true;
    mockIPC(() => (fail ? Promise.reject('home_overview not allowed') : overviewFixture()));
    render(HomePage);

    await screen.findByTestId(ids.errorBanner);
    fail = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect((await screen.findByTestId(ids.directoryUsers)).textContent).toBe('1250');
    expect(screen.queryByTestId(ids.errorBanner)).toBeNull();
  });

  it('points to Setup when there are no targets', async () => {
    mockIPC(() => ({ ...overviewFixture(), targets: [] }));
    render(HomePage);
    expect((await screen.findByTestId(ids.targetsEmpty)).textContent).toContain('Setup');
  });
  it('warns on a card whose token nears its expiry, and only there', async () => {
    const overview = overviewFixture();
    const first = overview.targets[0];
    if (!first) throw new Error('fixture has targets');
    first.token_warning = 'The token saved on 2026-01-01 expires in about 12 days.';
    mockIPC((cmd) => (cmd === 'home_overview' ? overview : null));
    render(HomePage);

    await screen.findAllByTestId(ids.targetCard);
    const aws = cardNamed('AWS IAM Identity Center');
    expect(within(aws).getByTestId(ids.targetTokenWarning).textContent).toContain('expires in about 12 days');
    expect(within(cardNamed('StrongDM')).queryByTestId(ids.targetTokenWarning)).toBeNull();
  });
});
