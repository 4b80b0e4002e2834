/**
 * A minimal, fast YAML emitter for the plain JSON-like values the demo
 * generator builds (objects, arrays, strings, numbers, booleans). It is an
 * order of magnitude faster than a general-purpose stringifier, which matters
 * when writing 100,000 entities. Output is block-style YAML; multi-line strings
 * become literal block scalars, anything ambiguous is double-quoted.
 */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue | undefined };

const plainScalar = /^[A-Za-z][A-Za-z0-9 _.\/@,()&'+:=?%-]*$/;
const reservedWords = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'y', 'n', 'nan', 'inf']);

/** A string as a YAML scalar: plain when unambiguous, otherwise double-quoted. */
export function yamlScalar(text: string): string {
  if (
    text.length > 0 &&
    plainScalar.test(text) &&
    !text.endsWith(' ') &&
    !text.endsWith(':') &&
    !text.includes(': ') &&
    !reservedWords.has(text.toLowerCase())
  ) {
    return text;
  }
  return JSON.stringify(text);
}

function blockScalar(text: string, indent: string): string {
  // The content is always indented two spaces deeper than its parent node.
  let chomping = '-';
  let body = text;
  if (text.endsWith('\n')) {
    body = text.slice(0, -1);
    chomping = body.endsWith('\n') ? '+' : '';
  }
  const indicator = /^[ \n]/.test(text) ? '2' : '';
  // Indent every line except empty ones (no trailing whitespace).
  const indented = body.replace(/\n(?!\n|$)/g, `\n${indent}`);
  return `|${indicator}${chomping}\n${body.length > 0 && body[0] !== '\n' ? indent : ''}${indented}`;
}

function isMultiline(value: YamlValue | undefined): value is string {
  return typeof value === 'string' && value.includes('\n') && !/[\r\t\u0000-\u0008\u000b-\u001f]/.test(value);
}

function isEmptyCollection(value: YamlValue): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.length === 0;
  for (const key in value) if (value[key] !== undefined) return false;
  return true;
}

function inlineValue(value: YamlValue): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return yamlScalar(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isEmptyCollection(value)) return undefined;
  return Array.isArray(value) ? '[]' : '{}';
}

/** Keys repeat across entities; their YAML text is computed once. */
const keyTexts = new Map<string, string>();

// Output is collected as parts and joined once per document: joining yields a
// flat string, where repeated `+=` would leave long-lived string ropes behind.
function emitMapping(parts: string[], value: { [key: string]: YamlValue | undefined }, indent: string, firstPrefix: string): void {
  let first = true;
  for (const key in value) {
    const child = value[key];
    if (child === undefined) continue;
    let keyText = keyTexts.get(key);
    if (keyText === undefined) {
      keyText = `${yamlScalar(key)}:`;
      keyTexts.set(key, keyText);
    }
    parts.push(first ? firstPrefix : indent, keyText);
    first = false;
    emitChild(parts, child, `${indent}  `);
  }
}

function emitSequence(parts: string[], value: YamlValue[], indent: string): void {
  for (const item of value) {
    if (isMultiline(item)) {
      parts.push(indent, '- ', blockScalar(item, `${indent}  `), '\n');
      continue;
    }
    const inline = inlineValue(item);
    if (inline !== undefined) parts.push(indent, '- ', inline, '\n');
    else if (Array.isArray(item)) {
      parts.push(indent, '-\n');
      emitSequence(parts, item, `${indent}  `);
    } else emitMapping(parts, item as { [key: string]: YamlValue }, `${indent}  `, `${indent}- `);
  }
}

/** Emits what follows `key:` for a child value whose own lines are at `indent`. */
function emitChild(parts: string[], child: YamlValue, indent: string): void {
  if (isMultiline(child)) {
    parts.push(' ', blockScalar(child, indent), '\n');
    return;
  }
  const inline = inlineValue(child);
  if (inline !== undefined) parts.push(' ', inline, '\n');
  else if (Array.isArray(child)) {
    parts.push('\n');
    emitSequence(parts, child, indent);
  } else {
    parts.push('\n');
    emitMapping(parts, child as { [key: string]: YamlValue }, indent, indent);
  }
}

/** One YAML document (no `---` marker) ending in a newline. */
export function toYamlDocument(value: { [key: string]: YamlValue | undefined }): string {
  const parts: string[] = [];
  emitMapping(parts, value, '', '');
  return parts.join('');
}

/** Several documents joined into a multi-document YAML stream. */
export function toYamlStream(values: ReadonlyArray<{ [key: string]: YamlValue | undefined }>): string {
  const parts: string[] = [];
  for (const value of values) {
    parts.push('---\n');
    emitMapping(parts, value, '', '');
  }
  return parts.join('');
}
