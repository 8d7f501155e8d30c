#!/usr/bin/env node
'use strict';
// The native vvp Pulumi provider plugin (gRPC server); `bin/pulumi-resource-vvp` runs this file.
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'provider', 'src', 'native', 'main.js');
if (!fs.existsSync(entry)) {
  console.error(`pulumi-resource-vvp: ${entry} is missing; build the package first (npm ci && npm run build)`);
  process.exit(1);
}
require(entry)
  .main(process.argv.slice(2))
  .catch((err) => {
    console.error(`pulumi-resource-vvp: ${err && err.message ? err.message : err}`);
    process.exit(1);
  });
