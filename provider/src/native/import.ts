/**
 * `pulumi import vvp:index:Deployment <name> <id>` and the `import` resource option: the engine calls Read with the
 * import ID and empty properties. The ID is `<namespace>/<name>`, `<namespace>/<uuid>` or a bare UUID (namespace
 * `default`). The deployment found becomes a PATCH-mode resource whose definition is what VVP holds (server fields,
 * status and ownership stamps left out); the handlers' read then reports it as for a refresh, with the UUID as id.
 */
import { VvpError, observedDefinition, type VvpDeployment } from '../../../core/src/index';
import type { VvpClient } from '../../../vvp-client/src/index';
import type { Props } from './props';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** VVP resource names and namespaces: DNS labels. */
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** True when a Read is an import: no recorded outputs yet. */
export function isImport(props: Props): boolean {
  return props.deployment === undefined;
}

/** Where an import ID points. */
export interface ImportTarget {
  namespace: string;
  /** Name or UUID. */
  nameOrId: string;
}

/** Parses an import ID; the error names the ID and the accepted forms. */
export function parseImportId(id: string): ImportTarget {
  const form = 'use `<namespace>/<name>` (e.g. default/orders), `<namespace>/<uuid>` or the deployment UUID';
  const shown = JSON.stringify(id.length > 100 ? `${id.slice(0, 100)}…` : id);
  if (UUID.test(id)) return { namespace: 'default', nameOrId: id.toLowerCase() };
  const parts = id.split('/');
  if (parts.length !== 2) throw new VvpError(`vvp:index:Deployment import ID ${shown} is not valid: ${form}`);
  const [namespace, nameOrId] = parts as [string, string];
  if (!NAME.test(namespace)) {
    throw new VvpError(`vvp:index:Deployment import ID ${shown}: namespace "${namespace}" is not a VVP name; ${form}`);
  }
  if (!NAME.test(nameOrId) && !UUID.test(nameOrId)) {
    throw new VvpError(
      `vvp:index:Deployment import ID ${shown}: "${nameOrId}" is neither a VVP name nor a UUID; ${form}`,
    );
  }
  return { namespace, nameOrId };
}

/** The deployment an import ID points to, or undefined when VVP has none. */
export async function findImported(client: VvpClient, target: ImportTarget): Promise<VvpDeployment | undefined> {
  return client.findDeployment(target.namespace, target.nameOrId);
}

/** The recorded properties an imported deployment starts from (what a refresh of it would see). */
export function importedProps(d: VvpDeployment): Props {
  const definition = observedDefinition(d, { withDescription: true });
  definition.metadata = { ...definition.metadata, name: d.metadata.name, namespace: d.metadata.namespace ?? 'default' };
  return { syncingMode: 'PATCH', deployment: definition, lastObserved: definition };
}
