/** examples/native-yaml (Pulumi YAML, pulumi-language-yaml built by scripts/native-tools.sh) under the real CLI. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { describeNativeExample } from './native-scenario';

// the YAML host generates code: `pulumi import` runs as a user would run it
describeNativeExample('native-yaml', {
  generatesCode: true,
  // YAML takes the import ID only as a literal: it is written into the copied program
  setImport: async (stack, id) => {
    const file = path.join(stack.programDir, 'Pulumi.yaml');
    const project = parseYaml(fs.readFileSync(file, 'utf8'));
    project.resources.orders.options = { import: id };
    fs.writeFileSync(file, toYaml(project));
  },
});
