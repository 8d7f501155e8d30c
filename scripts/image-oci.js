#!/usr/bin/env node
/*
 * Writes a staged root filesystem as a one-layer OCI image: an image layout directory (oci-layout, index.json,
 * blobs/sha256/...) and the same layout as an oci-archive tarball. Deterministic: the layer and the archive are
 * GNU tar streams with sorted names, owner 0:0 and every mtime at SOURCE_DATE_EPOCH; gzip stores no name or time;
 * the config's `created` is SOURCE_DATE_EPOCH too. Called by scripts/image.sh.
 *   node scripts/image-oci.js --rootfs DIR --out DIR --cache DIR --version V --revision SHA --source URL --uid N
 *                             [--label key=value]...
 * The compressed layer is cached by its diff id (the sha256 of the uncompressed tar) in --cache.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};

function parseArgs(argv) {
  const args = { label: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (argv[i + 1] === undefined) throw new Error(`image-oci: ${argv[i]} needs a value`);
    if (key === 'label') args.label.push(argv[i + 1]);
    else args[key] = argv[i + 1];
  }
  for (const key of ['rootfs', 'out', 'cache', 'version', 'revision', 'source', 'uid']) {
    if (!args[key]) throw new Error(`image-oci: --${key} is required`);
  }
  return args;
}

/** GNU tar flags that make the archive depend on file contents, names and modes only. */
function reproducibleTar(epoch) {
  return [
    '--sort=name',
    `--mtime=@${epoch}`,
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mode=u+rw,a+rX',
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
  ];
}

/** Keeps the 4 most recently used layers in the cache (each commit's mtimes make a new one). */
function pruneCache(dir, used) {
  const now = new Date();
  fs.utimesSync(used, now, now);
  const layers = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.tar.gz'))
    .map((f) => ({ file: path.join(dir, f), mtime: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of layers.slice(4)) fs.rmSync(old.file, { force: true });
}

const sha256File = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Writes a JSON blob into the layout; returns its descriptor. */
function writeBlob(layout, mediaType, value) {
  const bytes = Buffer.from(JSON.stringify(value));
  const hex = crypto.createHash('sha256').update(bytes).digest('hex');
  fs.writeFileSync(path.join(layout, 'blobs', 'sha256', hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

function buildImage(args) {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`image-oci: SOURCE_DATE_EPOCH=${epoch} is not a time`);
  const created = new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
  const layout = path.join(args.out, 'oci');
  fs.rmSync(args.out, { recursive: true, force: true });
  fs.mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  fs.mkdirSync(args.cache, { recursive: true });

  // The layer: the root filesystem as an uncompressed tar (its sha256 is the diff id), then gzip -n.
  const layerTar = path.join(args.out, 'layer.tar');
  execFileSync('tar', [...reproducibleTar(epoch), '-C', args.rootfs, '-cf', layerTar, '.'], { stdio: 'inherit' });
  const diffId = sha256File(layerTar);
  const cached = path.join(args.cache, `${diffId}.tar.gz`);
  if (!fs.existsSync(cached)) {
    execFileSync('sh', ['-c', 'gzip -n -6 -c "$1" > "$2.tmp" && mv "$2.tmp" "$2"', 'gzip', layerTar, cached]);
  }
  pruneCache(args.cache, cached);
  const layerDigest = sha256File(cached);
  fs.copyFileSync(cached, path.join(layout, 'blobs', 'sha256', layerDigest));
  const layerSize = fs.statSync(cached).size;
  const uncompressedSize = fs.statSync(layerTar).size;
  fs.rmSync(layerTar);

  const labels = {
    'org.opencontainers.image.title': 'vvp-operator',
    'org.opencontainers.image.description':
      'vvp-iac operator: reconciles VvpDeployment custom resources into Ververica Platform',
    'org.opencontainers.image.source': args.source,
    'org.opencontainers.image.version': args.version,
    'org.opencontainers.image.revision': args.revision,
    'org.opencontainers.image.licenses': 'Apache-2.0',
    'org.opencontainers.image.created': created,
    ...Object.fromEntries(args.label.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
  };
  const config = writeBlob(layout, MEDIA.config, {
    created,
    architecture: 'amd64',
    os: 'linux',
    config: {
      User: `${args.uid}:${args.uid}`,
      Entrypoint: ['/usr/local/bin/vvp-operator'],
      Env: ['PATH=/usr/local/bin', 'NODE_ENV=production'],
      WorkingDir: '/app',
      ExposedPorts: { '8080/tcp': {}, '9443/tcp': {} },
      Labels: labels,
    },
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [{ created, created_by: 'scripts/image.sh (root filesystem of node, its libraries and the operator)' }],
  });
  const manifest = writeBlob(layout, MEDIA.manifest, {
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config,
    layers: [{ mediaType: MEDIA.layer, digest: `sha256:${layerDigest}`, size: layerSize }],
    annotations: labels,
  });
  const refName = args.version;
  fs.writeFileSync(
    path.join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.index,
      manifests: [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': refName } }],
    }),
  );
  fs.writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));

  const archive = path.join(args.out, `vvp-operator-${args.version}.oci.tar`);
  execFileSync('tar', [...reproducibleTar(epoch), '-C', layout, '-cf', archive, '.'], { stdio: 'inherit' });
  fs.writeFileSync(path.join(args.out, 'digest'), `${manifest.digest}\n`);
  const summary = {
    digest: manifest.digest,
    ref: refName,
    layerDigest: `sha256:${layerDigest}`,
    compressedBytes: layerSize,
    uncompressedBytes: uncompressedSize,
    archive: path.relative(process.cwd(), archive),
  };
  fs.writeFileSync(path.join(args.out, 'image.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

module.exports = { buildImage, reproducibleTar };

if (require.main === module) {
  try {
    const summary = buildImage(parseArgs(process.argv.slice(2)));
    console.error(`[image] ${JSON.stringify(summary)}`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
