import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { validateFabric } from '../validateFabric';

/*
 * Hedgehog's own table-driven Go tests (githedgehog/fabric), ported as data: every
 * YAML file in this folder holds the cases of one Go test file (or, with
 * `derivedFrom`, cases derived from Hedgehog's code where it has no test), and each
 * case is validated with our validator. `objects` are the documents validated;
 * `cluster` the objects of the Go test's fake client (given as the fabric's other
 * resources and as the live cluster, so references resolve against them only);
 * `valid` is Hedgehog's verdict, and `ours` a documented deliberate difference.
 */

type Obj = Record<string, any>;

interface HedgehogCase {
  test: string;
  name: string;
  objects: Obj[];
  cluster?: Obj[];
  config?: Obj;
  valid: boolean;
  /** The field (our JSON path) Hedgehog's error is about: an error of the first document is at it or below it. */
  field?: string;
  /** A warning Hedgehog gives (our message must contain `ours` or this text, case-insensitive). */
  warning?: string;
  ours?: { valid: boolean; reason: string; warning?: string };
  derivedFrom?: string;
  note?: string;
}

interface CaseFile {
  source: { repo: string; commit: string; file: string };
  config?: Obj;
  notPorted?: Array<{ test: string; name: string; reason: string }>;
  cases: HedgehogCase[];
}

const files = fs
  .readdirSync(__dirname)
  .filter(f => f.endsWith('.yaml'))
  .sort();

const loaded = files.map(f => ({ file: f, data: parse(fs.readFileSync(path.join(__dirname, f), 'utf8')) as CaseFile }));

describe('Hedgehog cases', () => {
  it('are read from well-formed files with a pinned source commit', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const { file, data } of loaded) {
      expect([file, data.source.repo]).toEqual([file, 'githedgehog/fabric']);
      expect([file, data.source.commit]).toEqual([file, expect.stringMatching(/^[0-9a-f]{40}$/)]);
      expect(data.cases.length).toBeGreaterThan(0);
      const names = data.cases.map(c => `${c.test}/${c.name}`);
      expect(new Set(names).size).toBe(names.length);
      const shapes = data.cases.map(c => ({
        name: c.name,
        valid: typeof c.valid,
        objects: Array.isArray(c.objects) && c.objects.length > 0,
        // a documented difference differs and says why
        ours: c.ours ? c.ours.valid !== c.valid && c.ours.reason.length > 20 : true,
      }));
      expect(shapes).toEqual(data.cases.map(c => ({ name: c.name, valid: 'boolean', objects: true, ours: true })));
    }
  });

  for (const { file, data } of loaded) {
    const goFile = path.basename(data.source.file);
    describe(`${file}`, () => {
      for (const c of data.cases) {
        it(`${goFile} ${c.test}/${c.name}`, () => {
          const docs = c.objects.map((object, document) => ({ file: `${file}:${c.name}`, document, object }));
          const result = validateFabric(docs, {
            config: c.config ?? data.config,
            ...(c.cluster ? { context: c.cluster, live: c.cluster } : {}),
          });
          const expected = c.ours ? c.ours.valid : c.valid;
          // with a field, an error of the object under test (the first document) is at it or below it
          const checkField = !expected && !!c.field;
          const onField = result.findings.some(
            f => f.severity === 'error' && f.document === 0 && (f.path === c.field || f.path.startsWith(`${c.field}.`) || f.path.startsWith(`${c.field}[`)),
          );
          const warning = c.ours?.warning ?? c.warning;
          const warned = result.findings.some(f => f.severity === 'warning' && !!warning && f.message.toLowerCase().includes(warning.toLowerCase()));
          const findings = result.findings.map(f => `${f.severity} ${f.rule} [${f.document}] ${f.path}: ${f.message}`);
          expect({ valid: result.valid, onField: checkField ? onField : 'n/a', warned: warning ? warned : 'n/a', findings }).toEqual({
            valid: expected,
            onField: checkField ? true : 'n/a',
            warned: warning ? true : 'n/a',
            findings,
          });
        });
      }
    });
  }
});
