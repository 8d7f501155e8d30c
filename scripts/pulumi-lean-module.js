#!/usr/bin/env node
/*
 * The lean pulumi CLI of the demo (bash scripts/tools.sh --only pulumi; ADR 0012): the CLI built from a copy of
 * the github.com/pulumi/pulumi/pkg/v3 module that leaves out the cloud SDKs (AWS, Azure, Google Cloud: about a
 * third of the CLI's Go source, 490 of its 1,498 packages), which only the cloud state backends (s3://, gs://,
 * azblob://), the cloud secrets providers (awskms://, azurekeyvault://, gcpkms://, hashivault://) and
 * `pulumi env setup` use. The file backend, passphrase secrets, the engine and every other command are the
 * upstream code, unchanged; a left-out feature answers an error saying how to get the full CLI.
 *
 * Usage: node scripts/pulumi-lean-module.js PKG_DIR WRAPPER_DIR OUT_DIR
 *   PKG_DIR      the pkg/v3 module directory (go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/pkg/v3)
 *   WRAPPER_DIR  tools/pulumi (its go.mod and go.sum pin every module)
 *   OUT_DIR      receives pkg/ (the edited copy, without tests) and a go.mod replacing pkg/v3 with it
 * Each edit names the exact upstream text it replaces; when a pulumi version moves that text, the script exits 1
 * naming the file and the edit, and tools.sh builds the full CLI instead.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** What a lean build answers for a left-out feature. */
const LEFT_OUT = 'is not in this lean pulumi build (the vvp-iac demo); build the full CLI with: bash scripts/tools.sh';

/** Lines of an import block that name a cloud SDK package. */
const CLOUD_IMPORT =
  /^\s*(?:[\w.]+\s+)?"(?:gocloud\.dev\/(?:blob\/(?:s3blob|gcsblob|azureblob)|secrets\/(?:awskms|azurekeyvault|gcpkms|hashivault))|github\.com\/aws\/[^"]*|google\.golang\.org\/api\/[^"]*|cloud\.google\.com\/[^"]*|github\.com\/pulumi\/pulumi\/pkg\/v3\/authhelpers)".*\n/gm;

/**
 * The edits: per file (relative to the module root), replacements of upstream text (each must match exactly
 * once), after the cloud imports are dropped; `remove: true` leaves the file out; `add` writes a new file.
 */
const EDITS = [
  {
    file: 'backend/diy/backend.go',
    replace: [
      // the left-out schemes stay state-backend URLs (else `pulumi login s3://…` would try Pulumi Cloud)
      [
        /\n\treturn blob\.DefaultURLMux\(\)\.ValidBucketScheme\(u\.Scheme\)\n/,
        '\n\treturn blob.DefaultURLMux().ValidBucketScheme(u.Scheme) || u.Scheme == "s3" || u.Scheme == "gs" || u.Scheme == "azblob"\n',
      ],
      [
        /\n\t\/\/ for gcp we want to support additional credentials\n[^]*?\n\tbucket, err := blobmux\.OpenBucket\(ctx, u\)/,
        '\n\tif p.Scheme == "gs" || p.Scheme == "azblob" || p.Scheme == "s3" {\n' +
          `\t\treturn nil, fmt.Errorf("the %s:// state backend ${LEFT_OUT}", p.Scheme)\n\t}\n` +
          '\tbucket, err := blobmux.OpenBucket(ctx, u)',
      ],
    ],
  },
  {
    file: 'backend/diy/bucket.go',
    replace: [
      [
        /\n\t\tvar input \*awss3\.CopyObjectInput\n\t\tif asFunc\(&input\) \{\n\t\t\tfixupS3CopySource\(input\)\n\t\t\}/,
        '',
      ],
      [/\n\/\/ fixupS3CopySource rewrites[^]*?\n\tinput\.CopySource = &escaped\n\}\n/, '\n'],
    ],
  },
  {
    file: 'secrets/cloud/manager.go',
    replace: [
      [
        /\n\tswitch u\.Scheme \{\n\tcase gcpkms\.Scheme:[^]*?\n\tdefault:\n\t\treturn gosecrets\.OpenKeeper\(ctx, url\)\n\t\}\n/,
        '\n\tswitch u.Scheme {\n\tcase "awskms", "azurekeyvault", "gcpkms", "hashivault":\n' +
          `\t\treturn nil, fmt.Errorf("the %s:// secrets provider ${LEFT_OUT}", u.Scheme)\n\t}\n` +
          '\treturn gosecrets.OpenKeeper(ctx, url)\n',
      ],
    ],
  },
  { file: 'cmd/esc/cli/setup.go', remove: true },
  { file: 'cmd/esc/cli/setup_aws.go', remove: true },
  { file: 'cmd/esc/cli/setup_azure.go', remove: true },
  { file: 'cmd/esc/cli/setup_gcp.go', remove: true },
  {
    file: 'cmd/esc/cli/setup_lean.go',
    add: [
      'package cli',
      '',
      '// Added by vvp-iac (scripts/pulumi-lean-module.js): `pulumi env setup` needs the cloud SDKs left out here.',
      '',
      'import (',
      '\t"errors"',
      '',
      '\t"github.com/spf13/cobra"',
      ')',
      '',
      'func newEnvSetupCmd(_ *envCommand) *cobra.Command {',
      '\treturn &cobra.Command{',
      '\t\tUse:    "setup",',
      '\t\tShort:  "[not in this build] Set up cloud provider OIDC integrations",',
      '\t\tHidden: true,',
      `\t\tRunE:   func(*cobra.Command, []string) error { return errors.New("pulumi env setup ${LEFT_OUT}") },`,
      '\t}',
      '}',
      '',
    ].join('\n'),
  },
];

/** Drops standard-library imports that became unused (the package name is used nowhere else in the file). */
function dropUnusedImports(src) {
  return src.replace(/^import \(\n([^]*?)\n\)\n/m, (block, body) => {
    const rest = src.replace(block, '');
    const kept = body.split('\n').filter((line) => {
      const m = /^\s*"([a-z0-9/]+)"\s*$/.exec(line);
      if (!m) return true;
      const name = m[1].split('/').pop();
      return new RegExp(`\\b${name}\\.`).test(rest);
    });
    return `import (\n${kept.join('\n')}\n)\n`;
  });
}

/** Applies EDITS to the module copy in `dir`. */
function applyEdits(dir) {
  for (const edit of EDITS) {
    const file = path.join(dir, edit.file);
    if (edit.add !== undefined) {
      fs.writeFileSync(file, edit.add);
      continue;
    }
    if (!fs.existsSync(file)) throw new Error(`${edit.file}: not in the pulumi module (another pulumi version?)`);
    if (edit.remove) {
      fs.rmSync(file);
      continue;
    }
    let src = fs.readFileSync(file, 'utf8').replace(CLOUD_IMPORT, '');
    edit.replace.forEach(([pattern, to], i) => {
      const hits = src.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
      if (hits !== 1)
        throw new Error(
          `${edit.file}: edit ${i + 1} (${pattern.source.slice(0, 60)}…) matched ${hits} times, not once`,
        );
      src = src.replace(pattern, to);
    });
    fs.rmSync(file);
    fs.writeFileSync(file, dropUnusedImports(src));
  }
}

function main(argv) {
  const [pkgDir, wrapperDir, outDir] = argv;
  if (!pkgDir || !wrapperDir || !outDir) {
    process.stderr.write('usage: node scripts/pulumi-lean-module.js PKG_DIR WRAPPER_DIR OUT_DIR\n');
    return 2;
  }
  const copy = path.join(outDir, 'pkg');
  fs.rmSync(outDir, { recursive: true, force: true });
  // the module without its tests and test data (about half of its files)
  fs.cpSync(pkgDir, copy, {
    recursive: true,
    filter: (src) => !/_test\.go$/.test(src) && path.basename(src) !== 'testdata',
  });
  // the module cache's directories are read-only; the copy's are writable (to edit it, and to remove it later)
  const writable = (dir) => {
    fs.chmodSync(dir, 0o755);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) writable(path.join(dir, e.name));
  };
  writable(copy);
  applyEdits(copy);
  const goMod = fs.readFileSync(path.join(wrapperDir, 'go.mod'), 'utf8');
  fs.writeFileSync(path.join(outDir, 'go.mod'), `${goMod}\nreplace github.com/pulumi/pulumi/pkg/v3 => ./pkg\n`);
  fs.copyFileSync(path.join(wrapperDir, 'go.sum'), path.join(outDir, 'go.sum'));
  process.stdout.write(`${outDir}\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`pulumi-lean-module: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

module.exports = { main, applyEdits, EDITS, dropUnusedImports };
