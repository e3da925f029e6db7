// The editor's rows and how they become the `saml` crate's mappings.
import type { Mapping } from '../../bindings/saml/Mapping';
import type { ValueProblem } from '../../bindings/saml/ValueProblem';

export interface MappingDraft {
  /** Stable key for the keyed each-block; rows move and get removed. */
  uid: number;
  tagKey: string;
  mode: 'attribute' | 'literal';
  attribute: string;
  literal: string;
}

let nextUid = 1;

export function draft(tagKey = '', mode: MappingDraft['mode'] = 'attribute', value = ''): MappingDraft {
  return {
    uid: nextUid++,
    tagKey,
    mode,
    attribute: mode === 'attribute' ? value : '',
    literal: mode === 'literal' ? value : '',
  };
}

export function fromMapping(mapping: Mapping): MappingDraft {
  return draft(mapping.tagKey, mapping.source.kind, mapping.source.value);
}

export function toMapping(row: MappingDraft): Mapping {
  return {
    tagKey: row.tagKey,
    source:
      row.mode === 'attribute' ? { kind: 'attribute', value: row.attribute } : { kind: 'literal', value: row.literal },
  };
}

/** The select's value for a row: `field:<name>` or `constant`. */
export const CONSTANT = 'constant';
export function sourceValue(row: MappingDraft): string {
  return row.mode === 'literal' ? CONSTANT : `field:${row.attribute}`;
}

export function applySource(row: MappingDraft, value: string): void {
  if (value === CONSTANT) {
    row.mode = 'literal';
  } else {
    row.mode = 'attribute';
    row.attribute = value.startsWith('field:') ? value.slice('field:'.length) : value;
  }
}

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** One user's problem in words, e.g. "has no department". */
export function problemText(problem: ValueProblem, field: string): string {
  switch (problem.kind) {
    case 'missing':
      return `has no ${field}`;
    case 'empty':
      return `has an empty ${field}`;
    case 'tooLong':
      return `${problem.len} characters (AWS allows 256)`;
    case 'invalidChar':
      return `contains “${problem.ch}” (${codePoint(problem.ch)}), which AWS tags do not allow`;
    case 'forbiddenControlChar':
      return `contains ${codePoint(problem.ch)}, which XML cannot carry`;
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Keys typed one per line or comma-separated (a key may contain spaces, so spaces do not split). */
export function parseConsoleKeys(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((k) => k.trim())
    .filter((k) => k !== '');
}
