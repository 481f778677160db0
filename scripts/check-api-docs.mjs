#!/usr/bin/env node
/**
 * check-api-docs: the API reference lists every runtime export of every published entry point.
 *
 * Usage (from the repository root, after `npm run build` and TypeDoc; `npm run docs` runs both
 * TypeDoc and this check):
 *
 *     node scripts/check-api-docs.mjs [path/to/typedoc.json-output]
 *
 * The entry points are read from the workspace: every package that is not private, every
 * subpath of its package.json `exports` that maps to a built `dist/*.js` file (its source is the
 * same path under `src/`, `.ts`). For each one it checks that
 *
 *   - its source file is one of typedoc.json's `entryPoints`;
 *   - TypeDoc's JSON output (typedoc.json's `outputs` entry named "json", unless a path is given)
 *     has a module named by its import specifier (`focal-loss/core`: the `@module` tag of the
 *     entry's first comment names it);
 *   - every key of the built module (`Object.keys(await import(specifier))`) is a documented
 *     member of that module, and every key of an exported namespace (`losses`) a documented
 *     member of that namespace.
 *
 * Exits 1 listing every problem, 2 on a usage or configuration error, 0 when all are listed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(readFileSync(path.resolve(root, file), 'utf8'));

function fail(message) {
  console.error(`check-api-docs: ${message}`);
  process.exit(2);
}

// TypeDoc's ReflectionKind values (typedoc/dist/models/kind).
const NAMESPACE = 4;
const REFERENCE = 4194304;

const typedoc = readJson('typedoc.json');
const entryPoints = new Set(typedoc.entryPoints ?? []);
const jsonOutput = process.argv[2] ?? typedoc.outputs?.find((o) => o.name === 'json')?.path;
if (jsonOutput === undefined) fail("typedoc.json has no `outputs` entry named 'json'; pass the JSON file's path");
if (!existsSync(path.resolve(root, jsonOutput))) fail(`${jsonOutput} is missing: run TypeDoc first (npm run docs)`);
const project = readJson(jsonOutput);

/** Every reflection of the project by id, to follow references (a symbol exported twice). */
const byId = new Map();
(function index(reflection) {
  byId.set(reflection.id, reflection);
  for (const child of reflection.children ?? []) index(child);
})(project);

function target(reflection) {
  let r = reflection;
  for (let hops = 0; r?.kind === REFERENCE && hops < 10; hops++) r = byId.get(r.target);
  return r;
}

function documented(reflection) {
  const r = target(reflection);
  if (r === undefined) return false;
  const hasText = (comment) => comment !== undefined && (comment.summary ?? []).some((part) => part.text.trim() !== '');
  return hasText(r.comment) || (r.signatures ?? []).some((s) => hasText(s.comment));
}

/** The published entry points: { specifier, source } per `exports` subpath with a built JS file. */
function entries() {
  const found = [];
  for (const workspace of readJson('package.json').workspaces ?? []) {
    const pkg = readJson(path.join(workspace, 'package.json'));
    if (pkg.private) continue;
    for (const [subpath, value] of Object.entries(pkg.exports ?? {})) {
      const js = typeof value === 'string' ? value : (value?.import ?? value?.default);
      if (typeof js !== 'string' || !/^\.\/dist\/.*\.js$/.test(js)) continue;
      found.push({
        specifier: pkg.name + subpath.slice(1),
        source: path.posix.join(workspace, js.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')),
      });
    }
  }
  return found;
}

/** Problems with `members` (a module or namespace object) against the docs reflection `docs`. */
function compare(where, members, docs, problems) {
  const children = new Map((target(docs)?.children ?? []).map((c) => [c.name, c]));
  let count = 0;
  for (const name of Object.keys(members).sort()) {
    const child = children.get(name);
    if (child === undefined) {
      problems.push(`${where}.${name} is exported but missing from the API reference`);
      continue;
    }
    count++;
    if (!documented(child)) problems.push(`${where}.${name} has no documentation`);
    const value = members[name];
    if (value !== null && typeof value === 'object' && value[Symbol.toStringTag] === 'Module') {
      if (target(child)?.kind !== NAMESPACE) problems.push(`${where}.${name} is a namespace but not documented as one`);
      else count += compare(`${where}.${name}`, value, child, problems);
    }
  }
  return count;
}

const problems = [];
const list = entries();
if (list.length === 0) fail('no published entry point found in the workspaces');
let total = 0;
for (const { specifier, source } of list) {
  if (!entryPoints.has(source)) problems.push(`${specifier} (${source}) is not in typedoc.json's entryPoints`);
  const docs = (project.children ?? []).find((m) => m.name === specifier);
  if (docs === undefined) {
    problems.push(`the API reference has no module named '${specifier}' (tag ${source}'s first comment with @module ${specifier})`);
    continue;
  }
  const module = await import(specifier);
  if (Object.keys(module).length === 0) problems.push(`${specifier} has no runtime export: is it built?`);
  const count = compare(specifier, module, docs, problems);
  console.log(`check-api-docs: ${specifier}: ${count} runtime exports in the API reference`);
  total += count;
}

if (problems.length > 0) {
  console.error(problems.map((p) => `check-api-docs: ${p}`).join('\n'));
  process.exit(1);
}
console.log(`check-api-docs: ${total} runtime exports of ${list.length} entry points are documented in ${path.dirname(jsonOutput)}`);
