#!/usr/bin/env node
// Committed entry point, so that npm can link the `focal-loss` command before the first build.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
