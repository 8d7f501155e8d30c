import { getOwn, mergePatch } from '../src/json';

describe('JSON trees', () => {
  it('mergePatch keeps __proto__ and constructor as plain keys and never touches a prototype', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"x": 1}}}');
    const out = mergePatch({ a: 1 }, patch) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: string }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['a', '__proto__', 'constructor']);
    expect(getOwn(out, '__proto__')).toEqual({ polluted: 'yes' });
    expect(({} as { polluted?: string }).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(out))).toEqual(
      JSON.parse('{"a":1,"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"x":1}}}'),
    );
  });

  it('getOwn ignores inherited properties', () => {
    expect(getOwn({}, 'toString')).toBeUndefined();
    expect(getOwn({ toString: 'x' }, 'toString')).toBe('x');
  });
});
