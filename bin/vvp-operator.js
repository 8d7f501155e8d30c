#!/usr/bin/env node
'use strict';
require('../dist/operator/src/main.js')
  .main(process.argv.slice(2))
  .catch((err) => {
    console.error(`vvp-operator: ${err && err.message ? err.message : err}`);
    process.exit(1);
  });
