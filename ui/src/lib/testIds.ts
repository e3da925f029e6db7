// The UI's data-testid values, from testIds.json: the same file generates the constants the Rust
// E2E tests use (tests/build.rs), so an id renamed here breaks their build, not a test run.
import list from './testIds.json';

/** Every static data-testid, by its camelCase name. */
export const ids = list.ids;

export type IdPrefix = keyof typeof list.prefixes;
export type IdPart = keyof typeof list.parts;

/** The id of one of many like elements: the prefix's value followed by `key` (nav-diff). */
export function keyedId(prefix: IdPrefix, key: string): string {
  return list.prefixes[prefix] + key;
}

/** The id of a part of a component that was given `base` as its id (plan-result-summary). */
export function partId(base: string, part: IdPart): string {
  return base + list.parts[part];
}

/** A CSS selector for the elements with this id. */
export function testIdSelector(id: string): string {
  return `[data-testid="${id}"]`;
}
