import {
  fieldsNotKept,
  isUnder,
  keptAs,
  notKeptReport,
  parsePath,
  sameFieldSet,
  withoutPaths,
} from '../src/kept-fields';
import { formatPath } from '../src/json';

describe('keptAs', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['equal numbers', 2, 2, true],
    ['a changed number', 2, 3, false],
    ['enum case normalised', 'jar', 'JAR', true],
    ['other text', 'jar', 'SQLSCRIPT', false],
    ['text changed to lower case (only upper-casing is normalisation)', 's3://B/Job.jar', 's3://b/job.jar', false],
    ['absent', 'x', undefined, false],
    ['arrays item by item', ['a', 'b'], ['A', 'b'], true],
    ['arrays of another length', ['a'], ['a', 'b'], false],
    ['a number answered as text', 1, '1', false],
  ])('%s', (_n, sent, answer, want) => expect(keptAs(sent, answer)).toBe(want));
});

describe('fieldsNotKept', () => {
  const sent = {
    metadata: {
      name: 'a',
      description: 'text',
      labels: { 'ververica.platform/owner': 'op-1', team: 'x' },
      annotations: { 'com.dataartisans.appmanager.controller.deployment.spec.version': '3' },
    },
    spec: {
      state: 'RUNNING',
      template: {
        spec: { artifact: { kind: 'jar', jarUri: 's3://a' }, paralellism: 2, flinkConfiguration: { 'a.b': '1' } },
      },
    },
  };
  it('names each sent leaf VVP dropped or changed, not the normalised case nor the stamp', () => {
    const answer = {
      metadata: {
        name: 'a',
        labels: { team: 'x' },
        annotations: { 'com.dataartisans.appmanager.controller.deployment.spec.version': '4' },
      },
      spec: {
        state: 'RUNNING',
        template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://a' }, flinkConfiguration: {} } },
      },
    };
    expect(fieldsNotKept(sent as never, answer)).toEqual([
      'metadata.description',
      'spec.template.spec.flinkConfiguration["a.b"]',
      'spec.template.spec.paralellism',
    ]);
  });
  it('is empty when VVP kept everything', () => {
    expect(fieldsNotKept(sent as never, sent)).toEqual([]);
  });
});

describe('paths', () => {
  it.each([
    ['spec.template.spec.parallelism'],
    ['spec.template.spec.flinkConfiguration["a.b"]'],
    ['metadata.labels.x/y'],
    ['a["b\\"c"]'],
  ])('parsePath reads back what formatPath writes: %s', (text) => expect(formatPath(parsePath(text))).toBe(text));
  it('withoutPaths drops the leaves and the objects left empty', () => {
    const d = { spec: { template: { spec: { paralellism: 2 } }, state: 'RUNNING' as const } };
    expect(withoutPaths(d as never, ['spec.template.spec.paralellism'])).toEqual({ spec: { state: 'RUNNING' } });
    expect(withoutPaths(d as never, undefined)).toBe(d);
  });
  it('isUnder matches the path itself and paths below it only', () => {
    expect(isUnder('spec.template.spec.resources.jobmanager.cpu', ['spec.template.spec.resources'])).toBe(true);
    expect(isUnder('spec.template.spec.resourcesX', ['spec.template.spec.resources'])).toBe(false);
    expect(isUnder('a["b.c"]', ['a'])).toBe(true);
  });
  it('sameFieldSet ignores order; absent is empty', () => {
    expect(sameFieldSet(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameFieldSet(undefined, [])).toBe(true);
    expect(sameFieldSet(['a'], ['a', 'b'])).toBe(false);
  });
});

describe('notKeptReport: said once per new set, persisted', () => {
  it.each<[string, string[] | undefined, string[] | undefined, string | undefined, string[] | undefined]>([
    [
      'first appearance',
      undefined,
      ['x.y'],
      'VVP did not keep field x.y: check its spelling and the VVP version',
      ['x.y'],
    ],
    ['unchanged: silent', ['x.y'], ['x.y'], undefined, ['x.y']],
    [
      'changed',
      ['x.y'],
      ['x.y', 'z'],
      'VVP did not keep fields x.y, z: check its spelling and the VVP version',
      ['x.y', 'z'],
    ],
    ['gone: silent, cleared', ['x.y'], [], undefined, undefined],
    ['no write: kept as recorded', ['x.y'], undefined, undefined, ['x.y']],
    ['nothing ever', undefined, undefined, undefined, undefined],
  ])('%s', (_n, recorded, now, report, record) => {
    const r = notKeptReport(recorded, now);
    expect(r.report).toBe(report);
    expect(r.record).toEqual(record);
  });
});
