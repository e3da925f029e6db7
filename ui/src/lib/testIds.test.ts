import { describe, expect, it } from 'vitest';
import list from './testIds.json';
import { ids, keyedId, partId } from './testIds';

// Sources as text, bundled by Vite at test time (no file-system access needed).
const svelte = import.meta.glob<string>('../**/*.svelte', { query: '?raw', import: 'default', eager: true });
const uiTests = import.meta.glob<string>('../**/*.test.ts', { query: '?raw', import: 'default', eager: true });
const allSvelte = Object.values(svelte).join('\n');

const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const values = (o: Record<string, string>) => Object.values(o);

describe('testIds.json', () => {
  it('names each id by its value in camelCase, once', () => {
    for (const [name, id] of Object.entries(list.ids)) {
      expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(name).toBe(camel(id));
    }
    expect(new Set(values(list.ids)).size).toBe(values(list.ids).length);
    for (const [name, prefix] of Object.entries(list.prefixes)) {
      expect(prefix).toMatch(/^[a-z][a-z0-9-]*-$/);
      expect(name).toBe(camel(prefix.slice(0, -1)));
    }
    for (const [name, part] of Object.entries(list.parts)) expect(part).toBe(`-${name}`);
  });

  it('lists only ids the components use', () => {
    const unused = Object.keys(list.ids).filter((name) => !new RegExp(`\\bids\\.${name}\\b`).test(allSvelte));
    expect(unused).toEqual([]);
    const unusedPrefixes = Object.keys(list.prefixes).filter((p) => !allSvelte.includes(`keyedId('${p}'`));
    expect(unusedPrefixes).toEqual([]);
    const unusedParts = Object.keys(list.parts).filter((p) => !new RegExp(`partId\\([^)]*'${p}'\\)`).test(allSvelte));
    expect(unusedParts).toEqual([]);
  });

  it('is where every component takes its ids from (no string literals)', () => {
    const literal = /\btestid(?:="|\s*=\s*'|=\{\s*['"`])/;
    const offenders = Object.entries(svelte)
      .filter(([, text]) => literal.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it("is where the UI's own tests take ids from too", () => {
    const typed: string[] = [];
    for (const [file, text] of Object.entries(uiTests)) {
      // A component rendered alone may be given an id of the test's own. (Template literals such
      // as `page-${route}` are not checked.)
      const own = [...text.matchAll(/testid: '([a-z0-9-]+)'/g)].map((m) => m[1]);
      for (const m of text.matchAll(/TestId\(\s*['"]([a-z0-9_-]+)|data-testid="([a-z0-9_-]+)"/g)) {
        const id = m[1] ?? m[2] ?? '';
        if (!own.includes(id) && !file.endsWith('testIds.test.ts')) typed.push(`${file}: ${id}`);
      }
    }
    expect(typed).toEqual([]);
  });

  it('builds keyed and part ids the way the Rust constants do', () => {
    expect(keyedId('nav', 'diff')).toBe('nav-diff');
    expect(partId(ids.planResult, 'summary')).toBe('plan-result-summary');
  });
});
