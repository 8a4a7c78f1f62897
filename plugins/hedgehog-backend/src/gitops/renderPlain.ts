import { Document, stringify } from 'yaml';

/**
 * The `yaml` library's rendering of a plain resource (maps, sequences, strings,
 * numbers, booleans, null; no comments), written directly: the library builds a
 * node tree for every document and tests every string against the YAML 1.1 tags,
 * which made rendering the managed files the largest part of a cold sync (issue 28).
 *
 * It gives exactly the library's text (`lineWidth: 0`, `compat: 'yaml-1.1'`, block
 * style, two-space indent, sequences indented under their key) or `undefined`,
 * and the caller renders with the library: for a key that is not a plain name, a
 * string over one line, `-0`, `undefined` or any value that is not plain data.
 * Scalars that are not obviously plain (quoted strings, addresses, non-integers)
 * are rendered by the library once each and remembered. Checked against the
 * library on generated resources, Hedgehog's samples and random data
 * (renderPlain.test.ts).
 */
export function renderPlain(resource: Record<string, unknown>, options: object): string | undefined {
  if (!isPlainMap(resource) || Object.keys(resource).length === 0) return undefined;
  const out = { text: '' };
  return emitCollection(resource, '', '', out, contextOf(options)) ? out.text : undefined;
}

/**
 * Characters of a string the library writes as it is, as a key or a value, unless one of
 * the schema's tags reads it as something else (`contextOf`).
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]{0,127}$/;

type Tag = { default?: unknown; tag: string; test?: RegExp };

/** What rendering with one set of options needs, made once per options object. */
interface Context {
  options: object;
  /** Whether a string is written as it is (see contextOf). */
  plain: (s: string) => boolean;
  /** Scalars rendered by the library, by value (bounded). */
  rendered: Map<unknown, string | null>;
}
const contexts = new WeakMap<object, Context>();
const MAX_REMEMBERED = 20_000;

/**
 * The context of a set of options. A string is written plain by the library's own test
 * (stringifyString's plainString): PLAIN's characters, and none of the tags of the schema
 * and of `compat` reads it as a boolean, null, number or timestamp (`e7` is a YAML 1.1
 * float, `on` a boolean).
 */
function contextOf(options: object): Context {
  let ctx = contexts.get(options);
  if (!ctx) {
    const { tags, compat } = new Document(null, options).schema as unknown as { tags: Tag[]; compat?: Tag[] | null };
    const readers = [...tags, ...(compat ?? [])]
      .filter(t => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test)
      .map(t => t.test!);
    ctx = { options, plain: s => PLAIN.test(s) && !readers.some(r => r.test(s)), rendered: new Map() };
    contexts.set(options, ctx);
  }
  return ctx;
}

/** The library's text of a scalar as a map value (one line), or null when it is not one line. */
function libraryScalar(value: string | number, ctx: Context): string | null {
  const key = typeof value === 'number' ? value : `s${value}`;
  const hit = ctx.rendered.get(key);
  if (hit !== undefined) return hit;
  const text = stringify({ k: value }, ctx.options);
  const line = text.startsWith('k: ') && text.indexOf('\n') === text.length - 1 ? text.slice(3, -1) : null;
  if (ctx.rendered.size >= MAX_REMEMBERED) ctx.rendered.clear();
  ctx.rendered.set(key, line);
  return line;
}

/** A scalar or an empty collection on the line of its key or dash; undefined when it is not one; null when it cannot be rendered here. */
function inline(value: unknown, ctx: Context): string | null | undefined {
  switch (typeof value) {
    case 'string':
      if (ctx.plain(value)) return value;
      return /[\n\r]/.test(value) ? null : libraryScalar(value, ctx);
    case 'number':
      if (Object.is(value, -0)) return null;
      return Number.isSafeInteger(value) ? String(value) : libraryScalar(value, ctx);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
      if (!isPlainMap(value)) return null;
      return Object.keys(value).length === 0 ? '{}' : undefined;
    default:
      return null;
  }
}

/**
 * Appends a non-empty map or sequence: its first line after `first` (a key's
 * indent, or the dashes of the sequence items it is in), the others after `indent`.
 */
function emitCollection(value: object, indent: string, first: string, out: { text: string }, ctx: Context): boolean {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const prefix = i === 0 ? first : indent;
      const item = value[i];
      const text = inline(item, ctx);
      if (text === null) return false;
      if (text !== undefined) out.text += `${prefix}- ${text}\n`;
      else if (!emitCollection(item as object, inner, `${prefix}- `, out, ctx)) return false;
    }
    return true;
  }
  let i = 0;
  for (const key of Object.keys(value)) {
    const prefix = i++ === 0 ? first : indent;
    if (!ctx.plain(key)) return false;
    const item = (value as Record<string, unknown>)[key];
    const text = inline(item, ctx);
    if (text === null) return false;
    if (text !== undefined) out.text += `${prefix}${key}: ${text}\n`;
    else {
      out.text += `${prefix}${key}:\n`;
      if (!emitCollection(item as object, inner, inner, out, ctx)) return false;
    }
  }
  return true;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
