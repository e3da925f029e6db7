/// <reference types="node" />
// The UI's command names against the list Rust registers (src-tauri/build.rs, AppManifest::commands):
// a command missing there is denied at run time by the capabilities, so catch it here instead.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands';

const BUILD_RS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src-tauri/build.rs');

/** The names in build.rs's `const COMMANDS: &[&str] = &[ ... ];`. */
function registeredCommands(): string[] {
  const source = readFileSync(BUILD_RS, 'utf8');
  const list = /const COMMANDS: &\[&str\] = &\[([\s\S]*?)\];/.exec(source)?.[1];
  if (list === undefined) throw new Error(`no COMMANDS list in ${BUILD_RS}`);
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
}

// Every source file of the UI, to see which commands are really called (tests and the list excluded).
const SOURCES = import.meta.glob<string>(['../**/*.ts', '../**/*.svelte', '!../**/*.test.ts', '!./commands.ts', '!../bindings/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Command names passed to `call(...)` or `call<T>(...)` anywhere in the UI. */
function calledCommands(): Set<string> {
  const called = new Set<string>();
  for (const text of Object.values(SOURCES)) {
    for (const m of text.matchAll(/\bcall(?:<[^(]*?>)?\(\s*'([^']+)'/g)) called.add(m[1] ?? '');
  }
  return called;
}

describe('command names', () => {
  const registered = registeredCommands();

  it('finds the list in build.rs', () => {
    expect(registered.length).toBeGreaterThan(10);
  });

  it('registers every command the UI lists', () => {
    expect(COMMANDS.filter((c) => !registered.includes(c))).toEqual([]);
  });

  it('lists every command the UI calls', () => {
    const listed: readonly string[] = COMMANDS;
    expect([...calledCommands()].filter((c) => !listed.includes(c))).toEqual([]);
  });

  it('reports registered commands the UI never calls', () => {
    // Not a failure: the CLI or a later page may use them. Printed so a dead one gets noticed.
    const called = calledCommands();
    const unused = registered.filter((c) => !called.has(c));
    if (unused.length > 0) console.info(`Registered in build.rs but never called by the UI: ${unused.join(', ')}`);
    expect(called.size).toBeGreaterThan(0);
  });
});
