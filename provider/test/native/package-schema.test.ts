import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFINITION_TYPE, loadPackageSchema, packageSchema, packageRoot } from '../../src/native/package-schema';

const root = packageRoot(__dirname);
const source = JSON.parse(fs.readFileSync(path.join(root, 'schema.json'), 'utf8'));

describe('the package schema', () => {
  it('renames the definition type away from the resource name and rewrites every reference', () => {
    const schema = packageSchema(source, '9.9.9');
    expect(schema.types).toHaveProperty([DEFINITION_TYPE]);
    expect(JSON.stringify(schema)).not.toContain('"#/types/vvp:index:Deployment"');
    expect((schema.resources as any)['vvp:index:Deployment'].inputProperties.initFields.$ref).toBe(
      `#/types/${DEFINITION_TYPE}`,
    );
    expect(schema.version).toBe('9.9.9');
    expect(Object.keys(schema.language as object)).toEqual(['nodejs', 'python', 'go']);
  });

  it('is what sdks/schema.json holds (regenerate with node scripts/native-sdks.js)', () => {
    expect(loadPackageSchema(root).schema).toBe(fs.readFileSync(path.join(root, 'sdks', 'schema.json'), 'utf8'));
  });
});
