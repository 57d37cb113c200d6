#!/usr/bin/env node
// The izisales command. Runs the TypeScript sources directly through tsx (no build step for the CLI).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
