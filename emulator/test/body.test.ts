import { checkJsonDepth, checkYamlDepth, parseBody } from '../src/body';

const limits = { maxBodyBytes: 1 << 20, maxDepth: 64 };
const deep = {
  flowSeq: (n: number) => '['.repeat(n) + ']'.repeat(n),
  flowMap: (n: number) => '{a: '.repeat(n) + '1' + '}'.repeat(n),
  compact: (n: number) => '- '.repeat(n) + 'x',
  block: (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + `\n${' '.repeat(n)}1`,
};

describe('body limits', () => {
  it('JSON deeper than the limit is refused before parsing; strings with brackets do not count', () => {
    expect(() => checkJsonDepth('['.repeat(65) + ']'.repeat(65), 64)).toThrow('nesting deeper than the limit of 64');
    expect(() => checkJsonDepth(`{"a":"${'['.repeat(500)}\\""}`, 64)).not.toThrow();
    expect(() => parseBody(Buffer.from('['.repeat(10_000)), 'application/json', limits)).toThrow('limit of 64');
  });

  it.each(Object.entries(deep))(
    'YAML %s nesting of 1,000 is refused by the lexer bound in well under a second',
    (_k, make) => {
      const text = make(1000);
      const t0 = Date.now();
      expect(() => checkYamlDepth(text, 64)).toThrow('nesting deeper than the limit of 64');
      expect(() => parseBody(Buffer.from(text), 'application/yaml', limits)).toThrow('(--max-body-depth)');
      expect(Date.now() - t0).toBeLessThan(2000);
    },
  );

  it('comment lines do not hide block nesting, and a normal deployment YAML passes', () => {
    const hidden = Array.from({ length: 80 }, (_, i) => `${' '.repeat(i * 2)}a:\n# c`).join('\n');
    expect(() => checkYamlDepth(hidden, 64)).toThrow('limit of 64');
    const normal =
      'metadata:\n  name: x\n  labels: {a: b}\nspec:\n  template:\n    spec:\n      artifact:\n        kind: JAR\n      flinkConfiguration:\n        k: "v: w"\n';
    expect(parseBody(Buffer.from(normal), 'application/yaml', limits)).toMatchObject({ metadata: { name: 'x' } });
  });

  it('YAML bodies are bounded in tokens, so no YAML input makes the parser slow', () => {
    for (const text of ['"'.repeat(1_000_000), Array.from({ length: 50_000 }, (_, i) => `k${i}: v`).join('\n')]) {
      const t0 = Date.now();
      expect(() => parseBody(Buffer.from(text), 'application/yaml', limits)).toThrow('more than 20000 YAML tokens');
      expect(Date.now() - t0).toBeLessThan(2000);
    }
    expect(parseBody(Buffer.from('a: 1\na: 2\n'), 'application/yaml', limits)).toEqual({ a: 2 });
    const wide = `labels: {${Array.from({ length: 500 }, (_, i) => `k${i}: v`).join(', ')}}`;
    expect(Object.keys((parseBody(Buffer.from(wide), 'application/yaml', limits).labels as object) ?? {})).toHaveLength(
      500,
    );
  });

  it('YAML aliases are bounded and a body must be a UTF-8 object', () => {
    const laughs = ['a: &a [x, x]', ...Array.from({ length: 120 }, (_, i) => `b${i}: *a`)].join('\n');
    expect(() => parseBody(Buffer.from(laughs), 'application/yaml', limits)).toThrow('Malformed request body (YAML)');
    expect(() => parseBody(Buffer.from([0xff, 0xfe, 0x7b]), 'application/json', limits)).toThrow('not valid UTF-8');
    expect(() => parseBody(Buffer.from('[1]'), undefined, limits)).toThrow('must be an object (got an array)');
    expect(() => parseBody(Buffer.from('null'), undefined, limits)).toThrow('(got null)');
    expect(() => parseBody(Buffer.from('{"a":'), undefined, limits)).toThrow('Malformed request body (JSON)');
    expect(parseBody(Buffer.from('  '), undefined, limits)).toEqual({});
  });
});
