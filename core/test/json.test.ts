import {
  deepEqual,
  deepMerge,
  differingPaths,
  dropEmpty,
  formatPath,
  getPath,
  leafPaths,
  pickPaths,
  prune,
  setPath,
  stableStringify,
} from '../src/json';

describe('deepMerge', () => {
  it.each([
    ['objects merge key by key', { a: { x: 1, y: 2 } }, { a: { y: 3, z: 4 } }, { a: { x: 1, y: 3, z: 4 } }],
    ['arrays are replaced whole', { a: [1, 2, 3] }, { a: [9] }, { a: [9] }],
    ['scalars replace objects', { a: { x: 1 } }, { a: 'flat' }, { a: 'flat' }],
    ['objects replace scalars', { a: 'flat' }, { a: { x: 1 } }, { a: { x: 1 } }],
    ['undefined in the overlay keeps the base', { a: 1 }, { a: undefined }, { a: 1 }],
    ['null in the overlay is a value', { a: 1 }, { a: null }, { a: null }],
  ])('%s', (_name, base, overlay, expected) => {
    expect(deepMerge(base, overlay)).toEqual(expected);
  });

  it('mutates neither input', () => {
    const base = { a: { b: [1] } };
    const overlay = { a: { c: 2 } };
    const out = deepMerge(base, overlay);
    (out.a as { b: number[] }).b.push(2);
    expect(base).toEqual({ a: { b: [1] } });
    expect(overlay).toEqual({ a: { c: 2 } });
  });
});

describe('deepEqual', () => {
  it.each([
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [[1, 2], [2, 1], false],
    [{ a: { b: 1 } }, { a: { b: 2 } }, false],
    [null, undefined, false],
  ])('%j vs %j is %s', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
  });
});

describe('paths', () => {
  it('getPath reads nested values and stops at missing steps', () => {
    expect(getPath({ a: { b: { c: 3 } } }, 'a.b.c')).toBe(3);
    expect(getPath({ a: 1 }, 'a.b.c')).toBeUndefined();
  });
  it('leafPaths lists every leaf as segments: arrays are leaves; undefined, null and empty objects are absent', () => {
    expect(leafPaths({ a: { b: 1, c: [1] }, d: {}, e: undefined, f: null })).toEqual([
      ['a', 'b'],
      ['a', 'c'],
    ]);
  });
  it('differingPaths names the leaves of either side that differ, once each, dots inside keys kept', () => {
    expect(differingPaths({ f: { 'x.y': '1', z: '2' } }, { f: { z: '2' } })).toEqual([['f', 'x.y']]);
    expect(differingPaths({ a: [1] }, { a: [1], b: { c: true } })).toEqual([['b', 'c']]);
    expect(differingPaths({ a: null }, {})).toEqual([]);
  });
  it('pickPaths and setPath copy values at paths without sharing them', () => {
    const source = { a: { b: [1], c: 2 } };
    const picked = pickPaths(source, [['a', 'b'], ['x']]);
    expect(picked).toEqual({ a: { b: [1] } });
    (picked.a as { b: number[] }).b.push(2);
    expect(source.a.b).toEqual([1]);
    const target: Record<string, unknown> = { a: { c: 2 } };
    setPath(target, ['a', 'c'], undefined);
    expect(dropEmpty(target)).toEqual({});
  });
  it('keys with dots stay one segment and are quoted in messages', () => {
    const value = { flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' } };
    expect(getPath(value, ['flinkConfiguration', 'taskmanager.numberOfTaskSlots'])).toBe('2');
    expect(formatPath(['spec', 'flinkConfiguration', 'taskmanager.numberOfTaskSlots'])).toBe(
      'spec.flinkConfiguration["taskmanager.numberOfTaskSlots"]',
    );
  });
  it('prune drops null and undefined recursively', () => {
    expect(prune({ a: null, b: { c: undefined, d: 1 } })).toEqual({ b: { d: 1 } });
  });
});

describe('stableStringify', () => {
  it('sorts keys at every level, drops undefined keys and keeps array order', () => {
    expect(stableStringify({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
  });
});
