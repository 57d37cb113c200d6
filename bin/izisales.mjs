#!/usr/bin/env node
// The izisales command. Runs the sources as a bundle compiled on first use and again whenever a source changes
// (bin/bundle.cjs: dist-cli/), which starts in a fraction of the time; where it cannot be built, through tsx.
import bundle from './bundle.cjs';

const file = bundle.ensureCliBundle();
let main;
if (file) {
  ({ main } = bundle.runBundle(file));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-main/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
