/** Serving certificates of the webhook: from files (cert-manager style, reloaded on change) or self-signed. */
import { generate } from 'selfsigned';
import { readFlagFile } from '../runtime/files';

/** A PEM key pair; `caPem` is what a webhook configuration's caBundle must hold. */
export interface ServingPair {
  cert: string;
  key: string;
  caPem: string;
}

/** Reads a certificate (chain) and key from files (regular files within the flag-file limit). */
export function loadServingPair(certFile: string, keyFile: string, caFile?: string): ServingPair {
  const cert = readFlagFile('--webhook-cert', certFile, 'a PEM certificate (chain), e.g. tls.crt');
  const key = readFlagFile('--webhook-key', keyFile, 'a PEM private key, e.g. tls.key');
  return { cert, key, caPem: caFile ? readFlagFile('--webhook-ca', caFile, 'a PEM CA certificate') : cert };
}

/** Generates a self-signed serving certificate for development (SANs: the given hosts, 127.0.0.1, ::1, localhost). */
export async function generateSelfSigned(hosts: readonly string[] = []): Promise<ServingPair> {
  const names = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts])];
  const altNames = names.map((n) =>
    /^[\d.]+$/.test(n) || n.includes(':') ? { type: 7 as const, ip: n } : { type: 2 as const, value: n },
  );
  const pems = await generate([{ name: 'commonName', value: 'vvp-operator-webhook' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private, caPem: pems.cert };
}
