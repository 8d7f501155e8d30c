#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'operator', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  console.error(`vvp-operator: ${entry} is missing; build the package first (npm ci && npm run build)`);
  process.exit(1);
}
try {
  require.resolve('@kubernetes/client-node');
} catch {
  console.error(
    'vvp-operator: the @kubernetes/client-node package is missing (an optional peer dependency of vvp-iac); ' +
      'install it next to vvp-iac: npm install @kubernetes/client-node',
  );
  process.exit(1);
}
require(entry)
  .main(process.argv.slice(2))
  .catch((err) => {
    console.error(`vvp-operator: ${err && err.message ? err.message : err}`);
    process.exit(1);
  });
