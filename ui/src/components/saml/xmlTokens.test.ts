import { describe, expect, it } from 'vitest';
import { tokenizeXml } from './xmlTokens';

const SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<saml:AttributeStatement xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
  <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter">
    <saml:AttributeValue>\${jumpcloud:department}</saml:AttributeValue>
  </saml:Attribute>
  <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:Team">
    <saml:AttributeValue>a &lt;b&gt; &amp; c</saml:AttributeValue>
  </saml:Attribute>
</saml:AttributeStatement>
`;

describe('tokenizeXml', () => {
  it('joins back to exactly the input', () => {
    for (const xml of [SAMPLE, '', 'plain', '<a', '<a b="c', '<a/ >', '<?xml', '<a b=\'x\'/>']) {
      expect(
        tokenizeXml(xml)
          .map((t) => t.text)
          .join(''),
      ).toBe(xml);
    }
  });

  it('classes names, attributes, values, tag keys and placeholders', () => {
    const tokens = tokenizeXml(SAMPLE);
    const of = (kind: string): string[] => tokens.filter((t) => t.kind === kind).map((t) => t.text);
    expect(of('decl')).toEqual(['<?xml version="1.0" encoding="UTF-8"?>']);
    expect(of('tag')).toContain('saml:AttributeStatement');
    expect(of('attr')).toEqual(['xmlns:saml', 'Name', 'Name']);
    expect(of('key')).toEqual(['CostCenter', 'Team']);
    expect(of('placeholder')).toEqual(['${jumpcloud:department}']);
    // Escaped content stays as text, never as markup.
    expect(of('text').join('')).toContain('a &lt;b&gt; &amp; c');
    expect(of('value')).toContain('urn:oasis:names:tc:SAML:2.0:assertion');
  });
});
