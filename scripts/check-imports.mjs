#!/usr/bin/env node
/**
 * check-imports: keeps a package's import graph acyclic and running one way down its layers.
 *
 * Usage (from the repository root):
 *
 *     node scripts/check-imports.mjs                      every workspace package with "importLayers"
 *     node scripts/check-imports.mjs packages/focal-loss  the packages named (each must have "importLayers")
 *     node scripts/check-imports.mjs --graph packages/focal-loss   also print every edge, "from -> to"
 *
 * It prints every import cycle and every import from a lower layer to a higher one, and exits
 * 1 if there is any (2 for a usage or configuration error, 0 when the graph is clean).
 *
 * Configuration: one place per package, the "importLayers" field of its package.json:
 *
 *     "importLayers": {
 *       "src": "src",
 *       "layers": ["core", "kernels", "ops", "layers", "index.ts"]
 *     }
 *
 *   - "src": the source directory, relative to the package (default "src"). Only files under it
 *     are checked; relative imports that leave it, and package imports, are not part of the graph.
 *   - "layers": ordered from the BOTTOM (depends on nothing above it) to the TOP (the entry).
 *     Each entry is a path relative to "src" — a directory (every file below it) or one file —
 *     or an array of such paths that share one layer. A file belongs to the layer of the
 *     LONGEST entry that contains it, so a directory can be split into finer layers by listing
 *     its parts as well: ["core", "kernels/kernel_names.ts", "kernels", ...] puts
 *     kernels/kernel_names.ts below the rest of kernels/.
 *   - A file may import from its own layer or any layer below. Every file under "src" must
 *     belong to a layer (a new directory must be placed, not silently allowed).
 *
 * Adding a package: give its package.json an "importLayers" field; a run with no arguments
 * picks it up (it reads the root package.json's "workspaces").
 *
 * What counts as an import (parsed with TypeScript's compiler API, the `typescript`
 * devDependency, so multi-line statements and comments are handled): `import ... from`,
 * `import type`, side-effect `import '...'`, `export ... from` (also `export type` and
 * `export * as`), dynamic `import('...')`, type-position `import('...').T`, `require('...')`
 * and `import x = require('...')`. Type-only imports count: a cycle of types is still a cycle
 * for whoever reads the code. Specifiers are resolved as TypeScript's NodeNext does for this
 * repository: './x.js' is ./x.ts (or .tsx, .mts), an extensionless path may be a file or a
 * directory's index.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** How many cycles per strongly connected component are listed before the rest is counted. */
const CYCLES_PER_COMPONENT = 50;

/** A path with forward slashes, for messages and layer matching on every platform. */
function slash(path) {
  return path.split(sep).join('/');
}

function isSourceFile(name) {
  return SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) || name.endsWith('.json');
}

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile() && isSourceFile(entry.name) && !entry.name.endsWith('.json')) out.push(path);
  }
  return out;
}

/** Every module specifier a file names, with its line, in order. */
export function importsOf(path, text = readFileSync(path, 'utf8')) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (literal) => {
    if (literal !== undefined && ts.isStringLiteralLike(literal)) {
      const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
      found.push({ specifier: literal.text, line });
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const dynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const require = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((dynamicImport || require) && node.arguments.length >= 1) add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isFile(path) {
  return existsSync(path) && statSync(path).isFile();
}

/** The file a relative specifier names (TypeScript's rules for this repo), or null. */
function resolveSpecifier(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [];
  const swapped = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
  for (const [ext, replacements] of Object.entries(swapped)) {
    if (base.endsWith(ext)) candidates.push(...replacements.map((r) => base.slice(0, -ext.length) + r));
  }
  candidates.push(base);
  for (const ext of SOURCE_EXTENSIONS) candidates.push(base + ext);
  for (const ext of SOURCE_EXTENSIONS) candidates.push(join(base, `index${ext}`));
  return candidates.find(isFile) ?? null;
}

/** The layer config of a package, checked. */
function readConfig(packageDir) {
  const manifestPath = join(packageDir, 'package.json');
  if (!isFile(manifestPath)) throw new UsageError(`${slash(relative(REPO_ROOT, packageDir))}: no package.json`);
  const config = JSON.parse(readFileSync(manifestPath, 'utf8')).importLayers;
  if (config === undefined) return null;
  const where = `${slash(relative(REPO_ROOT, manifestPath))} "importLayers"`;
  if (config === null || typeof config !== 'object' || !Array.isArray(config.layers) || config.layers.length === 0) {
    throw new UsageError(`${where}: expected { "src": "src", "layers": [...] } with at least one layer`);
  }
  const srcDir = resolve(packageDir, config.src ?? 'src');
  if (!existsSync(srcDir) || !statSync(srcDir).isDirectory()) throw new UsageError(`${where}: no directory ${config.src ?? 'src'}`);
  const entries = [];
  config.layers.forEach((layer, index) => {
    const paths = Array.isArray(layer) ? layer : [layer];
    for (const path of paths) {
      if (typeof path !== 'string' || path.length === 0) throw new UsageError(`${where}: layer ${index} has an entry that is not a path`);
      const clean = slash(path).replace(/^\.\//, '').replace(/\/+$/, '');
      if (!existsSync(join(srcDir, clean)))
        throw new UsageError(`${where}: layer ${index} names ${path}, which is not in ${config.src ?? 'src'}`);
      entries.push({ path: clean, index, name: paths.join(' + ') });
    }
  });
  return { srcDir, entries, layerCount: config.layers.length };
}

/** The layer of a file (path relative to src, forward slashes): the longest entry containing it. */
function layerOf(entries, relPath) {
  let best = null;
  for (const entry of entries) {
    const contains = relPath === entry.path || relPath.startsWith(`${entry.path}/`);
    if (contains && (best === null || entry.path.length > best.path.length)) best = entry;
  }
  return best;
}

/** Strongly connected components with more than one file, or one file importing itself (Tarjan). */
function cyclicComponents(nodes, edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const strongConnect = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? new Set()).has(v)) components.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) strongConnect(v);
  return components;
}

/**
 * The elementary cycles inside one component, each starting at its smallest file (so each is
 * listed once), at most `limit` of them; `more` is true when the limit cut the list short.
 */
function cyclesIn(component, edges, limit) {
  const members = new Set(component);
  const order = [...component].sort();
  const rank = new Map(order.map((f, i) => [f, i]));
  const cycles = [];
  let more = false;
  for (const start of order) {
    const path = [start];
    const onPath = new Set(path);
    const extend = (v) => {
      for (const w of [...(edges.get(v) ?? [])].sort()) {
        if (!members.has(w) || rank.get(w) < rank.get(start)) continue;
        if (w === start) {
          if (cycles.length >= limit) {
            more = true;
            return;
          }
          cycles.push([...path, start]);
        } else if (!onPath.has(w)) {
          path.push(w);
          onPath.add(w);
          extend(w);
          onPath.delete(w);
          path.pop();
        }
        if (more) return;
      }
    };
    extend(start);
    if (more) break;
  }
  return { cycles, more };
}

/** Checks one package; returns the number of problems and prints them. */
export function checkPackage(packageDir, { graph = false, log = console.log } = {}) {
  const config = readConfig(packageDir);
  const label = slash(relative(REPO_ROOT, packageDir)) || '.';
  if (config === null) throw new UsageError(`${label}: package.json has no "importLayers" field`);
  const { srcDir, entries, layerCount } = config;
  const rel = (file) => slash(relative(srcDir, file));
  const files = listFiles(srcDir).sort();
  const edges = new Map();
  const problems = [];
  let importCount = 0;
  for (const file of files) {
    const targets = new Set();
    edges.set(file, targets);
    for (const { specifier, line } of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveSpecifier(file, specifier);
      if (target === null) {
        problems.push(`unresolved: ${rel(file)}:${line} imports '${specifier}', which is no file`);
        continue;
      }
      if (slash(relative(srcDir, target)).startsWith('../')) continue;
      importCount++;
      targets.add(target);
      const from = layerOf(entries, rel(file));
      const to = layerOf(entries, rel(target));
      if (from !== null && to !== null && to.index > from.index) {
        problems.push(
          `upward: ${rel(file)}:${line} (layer ${from.index} ${from.name}) imports ${rel(target)} (layer ${to.index} ${to.name})`,
        );
      }
    }
  }
  for (const file of files) {
    if (layerOf(entries, rel(file)) === null) problems.push(`unlayered: ${rel(file)} is in no layer of "importLayers"`);
  }
  for (const component of cyclicComponents(files, edges)) {
    const { cycles, more } = cyclesIn(component, edges, CYCLES_PER_COMPONENT);
    problems.push(`cycle group of ${component.length} files: ${component.map(rel).join(', ')}`);
    for (const cycle of cycles) problems.push(`  cycle: ${cycle.map(rel).join(' -> ')}`);
    if (more) problems.push(`  (more cycles in this group; the first ${CYCLES_PER_COMPONENT} are listed)`);
  }
  if (graph) {
    for (const file of files) for (const target of [...edges.get(file)].sort()) log(`edge: ${rel(file)} -> ${rel(target)}`);
  }
  const summary = `${label}: ${files.length} files, ${importCount} imports, ${layerCount} layers`;
  if (problems.length === 0) {
    log(`check-imports: ${summary}: no cycles, nothing imports upward`);
  } else {
    log(`check-imports: ${summary}:`);
    for (const problem of problems) log(`  ${problem}`);
  }
  return problems.filter((p) => !p.startsWith('  ')).length;
}

class UsageError extends Error {}

function workspacePackages() {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const dirs = [];
  for (const pattern of root.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const parent = join(REPO_ROOT, pattern.slice(0, -2));
      for (const name of readdirSync(parent)) if (isFile(join(parent, name, 'package.json'))) dirs.push(join(parent, name));
    } else if (isFile(join(REPO_ROOT, pattern, 'package.json'))) {
      dirs.push(join(REPO_ROOT, pattern));
    }
  }
  return dirs.filter((dir) => readConfig(dir) !== null);
}

function main(argv) {
  const graph = argv.includes('--graph');
  const named = argv.filter((a) => a !== '--graph');
  const unknown = named.find((a) => a.startsWith('-'));
  if (unknown !== undefined) throw new UsageError(`unknown option ${unknown}; usage: check-imports.mjs [--graph] [package-dir ...]`);
  const dirs = named.length > 0 ? named.map((d) => resolve(d)) : workspacePackages();
  if (dirs.length === 0) throw new UsageError('no package has an "importLayers" field');
  let problems = 0;
  for (const dir of dirs) problems += checkPackage(dir, { graph });
  return problems === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`check-imports: ${error.message}`);
    process.exitCode = 2;
  }
}
