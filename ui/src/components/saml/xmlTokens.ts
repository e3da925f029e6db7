// Splits XML into classed spans for the preview. The preview renders these as text nodes, never
// as HTML, so a value like `<script>` stays text; joining the tokens gives back the input exactly.

export type XmlTokenKind =
  | 'punct' // < </ > /> = and quotes
  | 'tag' // element name
  | 'attr' // attribute name
  | 'value' // attribute value
  | 'key' // the tag key at the end of an AccessControl attribute name
  | 'text' // element content and whitespace
  | 'placeholder' // ${jumpcloud:field} in template mode
  | 'decl'; // <?xml ... ?>

export interface XmlToken {
  kind: XmlTokenKind;
  text: string;
}

const ACCESS_CONTROL = 'AccessControl:';
const PLACEHOLDER = /\$\{jumpcloud:[^}]*\}/g;

export function tokenizeXml(xml: string): XmlToken[] {
  const out: XmlToken[] = [];
  const push = (kind: XmlTokenKind, text: string): void => {
    if (text === '') return;
    const last = out.at(-1);
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  while (i < xml.length) {
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      const stop = end === -1 ? xml.length : end + 2;
      push('decl', xml.slice(i, stop));
      i = stop;
    } else if (xml.charAt(i) === '<') {
      i = tag(xml, i, push);
    } else {
      const next = xml.indexOf('<', i);
      const stop = next === -1 ? xml.length : next;
      text(xml.slice(i, stop), push);
      i = stop;
    }
  }
  return out;
}

function text(content: string, push: (kind: XmlTokenKind, text: string) => void): void {
  let at = 0;
  for (const match of content.matchAll(PLACEHOLDER)) {
    push('text', content.slice(at, match.index));
    push('placeholder', match[0]);
    at = match.index + match[0].length;
  }
  push('text', content.slice(at));
}

/** One tag starting at `start` (a `<`); returns the index after it. */
function tag(xml: string, start: number, push: (kind: XmlTokenKind, text: string) => void): number {
  let i = start;
  const open = xml.startsWith('</', i) ? '</' : '<';
  push('punct', open);
  i += open.length;
  const nameEnd = scan(xml, i, (c) => /[\s/>]/.test(c));
  push('tag', xml.slice(i, nameEnd));
  i = nameEnd;
  while (i < xml.length) {
    const c = xml.charAt(i);
    if (c === '>') {
      push('punct', '>');
      return i + 1;
    }
    if (xml.startsWith('/>', i)) {
      push('punct', '/>');
      return i + 2;
    }
    if (/\s/.test(c)) {
      const end = scan(xml, i, (ch) => !/\s/.test(ch));
      push('text', xml.slice(i, end));
      i = end;
    } else if (c === '=') {
      push('punct', '=');
      i += 1;
    } else if (c === '"' || c === "'") {
      const close = xml.indexOf(c, i + 1);
      const end = close === -1 ? xml.length : close;
      push('punct', c);
      attributeValue(xml.slice(i + 1, end), push);
      if (close !== -1) push('punct', c);
      i = close === -1 ? end : close + 1;
    } else {
      const end = scan(xml, i, (ch) => /[\s=/>]/.test(ch));
      // A stray character (e.g. `/` not followed by `>`) still advances.
      const stop = end === i ? i + 1 : end;
      push('attr', xml.slice(i, stop));
      i = stop;
    }
  }
  return i;
}

function attributeValue(value: string, push: (kind: XmlTokenKind, text: string) => void): void {
  const at = value.indexOf(ACCESS_CONTROL);
  if (at === -1) {
    push('value', value);
    return;
  }
  const keyStart = at + ACCESS_CONTROL.length;
  push('value', value.slice(0, keyStart));
  push('key', value.slice(keyStart));
}

function scan(xml: string, from: number, stop: (c: string) => boolean): number {
  let i = from;
  while (i < xml.length && !stop(xml.charAt(i))) i += 1;
  return i;
}
