/**
 * Throw-away TLS material for tests, made with the `openssl` CLI (OpenSSL 3): a self-signed CA and
 * a serving certificate signed by it. Used for the kube-apiserver and for admission webhooks on
 * https://127.0.0.1:PORT (Go only matches IP URLs against IP SANs, so the default SANs are
 * IP:127.0.0.1, IP:::1 and DNS:localhost).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ServingCert {
  /** Directory holding the files below. */
  dir: string;
  caCertPath: string;
  caKeyPath: string;
  certPath: string;
  keyPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** base64 of the CA PEM, ready for a webhook's `clientConfig.caBundle`. */
  caBundle: string;
}

export interface ServingCertOptions {
  /** Where to write the files; default a new temp directory. */
  dir?: string;
  commonName?: string;
  /** IP SANs; default 127.0.0.1 and ::1. */
  ips?: string[];
  /** DNS SANs; default localhost. */
  dnsNames?: string[];
  days?: number;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr?.toString() ?? err.message}`);
  }
}

/** Make a CA (EC P-256) and a server certificate for 127.0.0.1/localhost signed by it. */
export function makeServingCert(opts: ServingCertOptions = {}): ServingCert {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-certs-'));
  fs.mkdirSync(dir, { recursive: true });
  const days = String(opts.days ?? 30);
  const ips = opts.ips ?? ['127.0.0.1', '::1'];
  const dns = opts.dnsNames ?? ['localhost'];
  const san = [...ips.map((i) => `IP:${i}`), ...dns.map((d) => `DNS:${d}`)].join(',');
  const f = {
    caCertPath: path.join(dir, 'ca.crt'),
    caKeyPath: path.join(dir, 'ca.key'),
    certPath: path.join(dir, 'tls.crt'),
    keyPath: path.join(dir, 'tls.key'),
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-days',
      days,
      '-subj',
      '/CN=vvp-iac-test-ca',
      '-keyout',
      f.caKeyPath,
      '-out',
      f.caCertPath,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const csr = path.join(dir, 'tls.csr');
  openssl(['req', ...ec, '-subj', `/CN=${opts.commonName ?? '127.0.0.1'}`, '-keyout', f.keyPath, '-out', csr], dir);
  const ext = path.join(dir, 'tls.ext');
  fs.writeFileSync(
    ext,
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      f.caCertPath,
      '-CAkey',
      f.caKeyPath,
      '-CAcreateserial',
      '-days',
      days,
      '-extfile',
      ext,
      '-out',
      f.certPath,
    ],
    dir,
  );
  fs.chmodSync(f.caKeyPath, 0o600);
  fs.chmodSync(f.keyPath, 0o600);
  const caPem = fs.readFileSync(f.caCertPath, 'utf8');
  return {
    dir,
    ...f,
    caPem,
    certPem: fs.readFileSync(f.certPath, 'utf8'),
    keyPem: fs.readFileSync(f.keyPath, 'utf8'),
    caBundle: Buffer.from(caPem).toString('base64'),
  };
}

/** A client certificate (extendedKeyUsage clientAuth) signed by the CA of `ca`: [certPath, keyPath]. */
export function makeClientCert(ca: ServingCert, commonName: string, name = 'client'): [string, string] {
  const cert = path.join(ca.dir, `${name}.crt`);
  const key = path.join(ca.dir, `${name}.key`);
  const csr = path.join(ca.dir, `${name}.csr`);
  const ext = path.join(ca.dir, `${name}.ext`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', ...ec, '-subj', `/CN=${commonName}`, '-keyout', key, '-out', csr], ca.dir);
  fs.writeFileSync(ext, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.caCertPath,
      '-CAkey',
      ca.caKeyPath,
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      ext,
      '-out',
      cert,
    ],
    ca.dir,
  );
  fs.chmodSync(key, 0o600);
  return [cert, key];
}

/** An RSA key pair for signing service-account tokens: returns [privateKeyPath, publicKeyPath]. */
export function makeServiceAccountKey(dir: string): [string, string] {
  const key = path.join(dir, 'sa.key');
  const pub = path.join(dir, 'sa.pub');
  openssl(['genrsa', '-out', key, '2048'], dir);
  openssl(['rsa', '-in', key, '-pubout', '-out', pub], dir);
  fs.chmodSync(key, 0o600);
  return [key, pub];
}
