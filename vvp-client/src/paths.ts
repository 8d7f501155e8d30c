/** Paths of VVP's namespaced REST objects, spelled once (the client, the platform calls and the fake share them). */

/** `/api/v1/namespaces/{namespace}/{kind}[/{name}]`, each name percent-encoded. */
export const namespacedPath = (namespace: string, kind: string, name?: string): string =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/${kind}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
