#!/usr/bin/env node
// The `civic` command: a launcher for the built CLI (`npm run build` or `tsc -b tools/civic`).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);
