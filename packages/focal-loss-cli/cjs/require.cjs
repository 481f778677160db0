// What require('focal-loss-cli/stats') loads where Node cannot require() an ES module: Node 20.18 and
// older, 22.0 to 22.11, --no-experimental-require-module, and bundlers resolving a require() call.
// focal-loss-cli ships as ES modules only; Node 20.19+ and 22.12+ take the "module-sync" condition of
// its "exports" instead and require() the ES module itself. The code is Node's own for this case, so
// tools that fall back to import() on ERR_REQUIRE_ESM do so here too.
'use strict';
const error = new Error(
  "focal-loss-cli/stats is an ES module: use import { decide } from 'focal-loss-cli/stats', or await import('focal-loss-cli/stats') from CommonJS" +
    ' (require() of it needs Node 20.19+ or 22.12+)',
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
