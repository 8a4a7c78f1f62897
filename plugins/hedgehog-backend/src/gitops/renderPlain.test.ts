import fs from 'node:fs';
import path from 'node:path';
import { Document, parseAllDocuments } from 'yaml';
import { generateFabric } from '../validation/bench/generateFabric';
import { RENDER_OPTIONS, renderResource } from './normalize';
import { renderPlain } from './renderPlain';
import { SeededRandom, seededRandom } from '../__testUtils__/random';

const SAMPLES = path.resolve(__dirname, '../../../../test/fixtures/samples');

/** The library's text: what managed files were before renderPlain, and what it must give. */
const library = (value: unknown) => new Document(value, null, RENDER_OPTIONS).toString(RENDER_OPTIONS);


// Words a YAML reader might take for something else, and characters that change quoting.
const WORDS = [
  'y', 'Y', 'yes', 'No', 'on', 'OFF', 'true', 'False', 'null', 'NULL', '~', '', ' ', '-', '---', '...', '<<', '=',
  '.inf', '-.Inf', '.nan', '0x1F', '0o17', '017', '0b101', '1_000', '12:30', '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '1e3', '1.5', '-2', '+3', '0', '10.0.0.1/24', '0c:20:12:fe:00:01', 'E1/1', 'leaf-1', 'spine-01--eslag', 'a b', 'a:b', 'a: b',
  'a #b', '#a', '&a', '*a', '!a', '|', '>', '%a', '@a', '`a', '?a', '? a', 'a,b', '[a]', '{a}', '"a"', "'a'", 'a\tb', 'é', 'a\u2028b',
  'x'.repeat(130), 'githedgehog.com/source-file', 'a\nb', 'trailing ', ' leading', 'a-', 'a.', 'A_b', 'Infinity', 'NaN',
];
const CHARS = 'aZ09-_./: #\'"\\,[]{}&*!|>%@`?~\t=+<';

function randomString(r: SeededRandom): string {
  if (r.next() < 0.5) return r.pick(WORDS);
  let s = '';
  const n = 1 + r.int(12);
  for (let i = 0; i < n; i++) s += r.next() < 0.6 ? r.pick([...'abcdefghxyzABCXYZ0123456789']) : r.pick([...CHARS]);
  return s;
}

function randomValue(r: SeededRandom, depth: number): unknown {
  const x = r.next();
  if (depth > 0 && x < 0.2) return Array.from({ length: r.int(4) }, () => randomValue(r, depth - 1));
  if (depth > 0 && x < 0.45) return randomMap(r, depth - 1);
  if (x < 0.75) return randomString(r);
  if (x < 0.9) return r.pick([0, 1, -1, 7, 4094, 65535, 2 ** 53 - 1, 2 ** 53, 1.5, -0.25, 1e21, 1e-7, NaN, Infinity, -Infinity, -0]);
  return r.pick([true, false, null]);
}

function randomMap(r: SeededRandom, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = r.int(5);
  for (let i = 0; i < n; i++) {
    // Mostly names, as resources have; sometimes anything.
    const key = r.next() < 0.8 ? r.pick(['name', 'spec', 'ports', 'vlan', 'subnets', 'ipv4', 'a-b', 'x.y/z', 'n', 'on']) : randomString(r);
    out[key] = randomValue(r, depth);
  }
  return out;
}

describe('renderPlain', () => {
  it("gives the library's text for every resource of a generated fabric of 5,000, all of them without falling back", () => {
    const resources = generateFabric({ spines: 4, leaves: 64, serversPerLeaf: 20, vpcs: 468 });
    expect(resources.length).toBeGreaterThan(4000);
    for (const resource of resources) {
      expect(renderPlain(resource, RENDER_OPTIONS)).toBe(library(resource));
    }
  });

  it("gives the library's text (or nothing) for every document of Hedgehog's samples", () => {
    let rendered = 0;
    let documents = 0;
    for (const file of fs.readdirSync(SAMPLES).filter(f => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(SAMPLES, file), 'utf8'))) {
        const value = doc.toJS();
        if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
        documents++;
        const text = renderPlain(value, RENDER_OPTIONS);
        if (text === undefined) continue;
        expect([file, text]).toEqual([file, library(value)]);
        rendered++;
      }
    }
    expect(documents).toBeGreaterThan(200);
    // The samples are plain data: all but a few render without the library.
    expect(rendered).toBeGreaterThan(documents * 0.9);
  });

  it("gives the library's text (or nothing) for 20,000 random documents with the strings and numbers YAML treats specially", () => {
    const r = seededRandom(28);
    let rendered = 0;
    const different: Array<{ value: string; text: string; library: string }> = [];
    for (let i = 0; i < 20_000; i++) {
      const value = { kind: randomString(r), spec: randomMap(r, 3), ...randomMap(r, 2) };
      const text = renderPlain(value, RENDER_OPTIONS);
      if (text === undefined) continue;
      rendered++;
      // (the case, to replay it)
      if (text !== library(value)) different.push({ value: JSON.stringify(value), text, library: library(value) });
    }
    expect(different.slice(0, 5)).toEqual([]);
    // Thousands take the direct path (the rest hold a key or value it leaves to the library), so the
    // comparison above is not an empty one.
    expect(rendered).toBeGreaterThan(3000);
  });

  it.each([
    ['a string over two lines', { a: 'one\ntwo' }],
    ['a key YAML 1.1 reads as a boolean', { y: 1 }],
    ['a key that is not a plain name', { 'a: b': 1 }],
    ['minus zero', { a: -0 }],
    ['an undefined value', { a: undefined }],
    ['a date', { a: new Date(0) }],
    ['a map of another prototype', { a: new (class Thing {})() }],
    ['an empty document', {}],
  ])('leaves %s to the library', (_what, value) => {
    expect(renderPlain(value as Record<string, unknown>, RENDER_OPTIONS)).toBeUndefined();
    // and renderResource still gives the library's text
    expect(renderResource(value as Record<string, unknown>)).toBe(library(value));
  });

  it('quotes what YAML 1.1 readers would read as something else, as the library does', () => {
    const value = { metadata: { name: 'on' }, spec: { a: 'yes', b: '0x1F', c: '12:30', d: '2001-12-14', e: '1_000', f: ['n', 'No', ''] } };
    const text = renderPlain(value, RENDER_OPTIONS);
    expect(text).toBe(library(value));
    expect(text).toContain('name: "on"');
    expect(text).toContain('c: "12:30"');
    expect(text).toContain('- "n"');
  });
});
