import {
  clone,
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

describe('clone', () => {
  const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }

  it.each([
    ['a plain tree', { a: { b: [1, 'x', true, null, { c: 2 }] }, flinkConfiguration: { 'a.b': '1' } }],
    ['undefined entries, dropped', { a: undefined, b: { c: undefined, d: 1 } }],
    ['-0, written as 0', { a: -0, b: [-0] }],
    ['NaN and Infinity, written as null', { a: NaN, b: [Infinity] }],
    ['undefined and functions in arrays, written as null', { a: [undefined, () => 1, 2] }],
    ['a function entry, dropped', { a: () => 1, b: 1 }],
    ['a Date, written as its ISO text', { at: new Date(0) }],
    ['a class instance, written as its own fields', { p: new Point(1, 2) }],
    ['a toJSON method', { v: { toJSON: () => 'replaced' } }],
    ['an own __proto__ key, kept as a key', JSON.parse('{"__proto__":{"x":1},"a":1}') as unknown],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 })],
    ['integer-like keys, in JSON order', { b: 1, 2: 'two', a: 1, 1: 'one' }],
    ['boxed primitives, written as their values', { s: new String('ab'), n: new Number(1), b: [new Boolean(false)] }],
    ['a Map, written as an empty object', { m: new Map([['a', 1]]) }],
    ['a scalar', 'text'],
    ['null', null],
  ])('copies %s exactly as a JSON round trip does', (_name, value) => {
    const copy = clone(value);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(roundTrip(value)));
    expect(copy).toStrictEqual(roundTrip(value));
    if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
  });

  it('follows an inherited toJSON method as the round trip does', () => {
    const value = { a: { b: 1 } };
    Object.defineProperty(Object.prototype, 'toJSON', { value: () => 'inherited', configurable: true });
    let copy: unknown;
    let expected: unknown;
    try {
      copy = clone(value);
      expected = roundTrip(value);
    } finally {
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
    }
    expect(expected).toBe('inherited');
    expect(copy).toBe('inherited');
  });

  it('shares nothing with the input', () => {
    const value = { a: { b: [{ c: 1 }] } };
    const copy = clone(value);
    copy.a.b[0]!.c = 2;
    expect(value.a.b[0]!.c).toBe(1);
    expect(Object.is(clone(-0), 0)).toBe(true);
  });

  it('keeps undefined as undefined and fails on a cycle as the round trip does', () => {
    expect(clone(undefined)).toBeUndefined();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => clone(cyclic)).toThrow(TypeError);
    expect(() => clone(cyclic)).toThrow(/circular/);
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 1000; i++) cur = (cur.a = {}) as Record<string, unknown>;
    expect(JSON.stringify(clone(deep))).toBe(JSON.stringify(deep));
  });
});
