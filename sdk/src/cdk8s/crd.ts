/** The VvpDeployment CRD as the package ships it (generated from schema.json into crds/). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiObjectProps } from 'cdk8s';
import * as YAML from 'yaml';

let crdCache: ApiObjectProps | undefined;

/** The VvpDeployment CRD generated from schema.json (crds/vvpdeployments.yaml of this package). */
export function loadCrd(): ApiObjectProps {
  crdCache ??= YAML.parse(fs.readFileSync(crdPath(), 'utf8')) as ApiObjectProps;
  return structuredClone(crdCache);
}

/** Finds crds/vvpdeployments.yaml from both sdk/src/cdk8s (ts) and dist/sdk/src/cdk8s (compiled). */
function crdPath(): string {
  for (let dir = __dirname; ;) {
    const candidate = path.join(dir, 'crds', 'vvpdeployments.yaml');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`crds/vvpdeployments.yaml not found above ${__dirname}; the vvp-iac package is incomplete`);
    dir = parent;
  }
}
