import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { YamlValue } from './to-yaml-document.ts';
import { toYamlDocument, toYamlStream } from './to-yaml-document.ts';

const trickyStrings = [
  'plain', ' leading space', 'trailing space ', 'true', 'Yes', 'off', 'NULL', '~', '123', '1.5', '0x1F', '1e3', '',
  'a: b', 'a #b', '#channel', "it's", '"quoted"', "'single'", '- dash', '-', '*alias', '&anchor', '!tag', '%directive',
  '@at', '`tick`', '[flow]', '{flow}', 'x:y', 'ends with colon:', 'group:team-a', 'dir:.', 'https://example.com/a?b=1#c',
  'Search & Discovery', 'cart, basket', 'Ünïcødé ✓', 'tab\there', 'back\\slash', '2024-01-01', '09:30', '.inf', '.nan',
];

const multilineStrings = ['line1\nline2', 'line1\nline2\n', 'a\n\n', ' leading\nline', '\nstarts empty', 'a\n\n\nb\n', 'x\r\ny', 'trailing  \nspaces  '];

describe('toYamlDocument', () => {
  it('round-trips tricky scalars through a YAML parser', () => {
    const value: Record<string, YamlValue> = {};
    trickyStrings.forEach((text, index) => {
      value[`key${index}`] = text;
      value[text.length > 0 ? text : 'empty-key'] = index;
    });
    expect(parse(toYamlDocument(value))).toEqual(value);
  });

  it('round-trips multi-line strings as block scalars, in mappings and sequences', () => {
    const value = { single: multilineStrings[0], all: multilineStrings, nested: [{ text: multilineStrings[1], more: multilineStrings }] };
    const text = toYamlDocument(value);
    expect(text).toContain('single: |-\n  line1\n  line2\n');
    expect(parse(text)).toEqual(value);
  });

  it('round-trips nested and empty collections, numbers, booleans and null', () => {
    const value = {
      list: ['a', 1, true, null, [], {}, [1, [2, 3]], { k: 'v', n: [1, { z: [] }] }],
      empty: [],
      emptyObject: {},
      number: 3.25,
      flag: false,
      nothing: null,
    };
    expect(parse(toYamlDocument(value))).toEqual(value);
  });

  it('omits undefined keys', () => {
    expect(parse(toYamlDocument({ a: 1, b: undefined, c: { d: undefined } }))).toEqual({ a: 1, c: {} });
  });

  it('joins documents into a multi-document stream', () => {
    const documents = [{ kind: 'A', list: ['x'] }, { kind: 'B', text: 'one\ntwo\n' }];
    const parsed = parseAllDocuments(toYamlStream(documents)).map(document => document.toJS());
    expect(parsed).toEqual(documents);
  });
});
