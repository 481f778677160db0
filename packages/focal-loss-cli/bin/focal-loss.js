#!/usr/bin/env node
// Committed entry point, so that npm can link the commands before the first build. The package
// installs it twice: `focal-loss-cli`, the package's own name, which `npx focal-loss-cli` finds with
// nothing installed (`npx focal-loss` would fetch the library, which has no command), and
// `focal-loss`, the name the usage text and a user with the CLI installed type.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
