import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import { appInfoFixture, okStatus, unauthorized } from '../test/fixtures';
import { appInfo, targetTestConnection, toIpcError } from './api';

describe('toIpcError', () => {
  it('keeps a well-formed IpcError', () => {
    expect(toIpcError(unauthorized)).toEqual(unauthorized);
  });

  it('turns an unknown code and empty hint into internal and null', () => {
    expect(toIpcError({ code: 'teapot', message: 'short and stout', hint: '' })).toEqual({
      code: 'internal',
      message: 'short and stout',
      hint: null,
    });
  });

  it('wraps Tauri string rejections', () => {
    expect(toIpcError('Command foo not found')).toEqual({
      code: 'internal',
      message: 'Command foo not found',
      hint: null,
    });
  });

  it('wraps Error objects', () => {
    expect(toIpcError(new TypeError('x is undefined'))).toMatchObject({
      code: 'internal',
      message: 'x is undefined',
    });
  });

  it('still produces a message for null, numbers and empty strings', () => {
    for (const value of [null, undefined, 42, '', {}]) {
      const err = toIpcError(value);
      expect(err.code).toBe('internal');
      expect(err.message.length).toBeGreaterThan(0);
    }
  });
});

describe('command wrappers', () => {
  it('call snake_case commands with camelCase arguments', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'app_info' ? appInfoFixture : okStatus;
    });

    await expect(appInfo()).resolves.toEqual(appInfoFixture);
    await expect(targetTestConnection('aws-demo')).resolves.toEqual(okStatus);
    expect(calls[0]?.[0]).toBe('app_info');
    expect(calls[1]).toEqual(['target_test_connection', { targetId: 'aws-demo' }]);
  });

  it('reject with a normalised IpcError', async () => {
    mockIPC(() => Promise.reject(new Error('boom')));
    await expect(appInfo()).rejects.toEqual({ code: 'internal', message: 'boom', hint: null });
  });
});
