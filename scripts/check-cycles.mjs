#!/usr/bin/env node
// Fails when the domain folders under lib/ import each other in a cycle. A folder is lib/<name>;
// an edge A → B means some file in lib/A imports or re-exports a file in lib/B (relative or `@/`
// paths; packages are ignored, lib/generated is left out). Every elementary cycle of the folder
// graph is printed with the file-level imports that make each of its edges, then exit 1.
// Why folders and not files: a newcomer reads the tree by folder, and a folder that reaches back
// into the one that uses it is where "one way down" stops being true.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const lib = path.join(root, "lib");
const EXCLUDED = new Set(["generated"]);
const MAX_CYCLES = 200;
const MAX_FILE_EDGES = 4;

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir === lib && EXCLUDED.has(entry.name)) continue;
      out.push(...sourceFiles(full));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Block comments and whole-line `//` comments out, so a commented-out import is not an edge. */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

// `import x from "…"`, `import { a,\n b } from "…"`, `import type …`, `import "…"`,
// `export { a } from "…"`, `export * from "…"`, and dynamic `import("…")`.
const SPECIFIER =
  /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

function specifiers(file) {
  const text = stripComments(readFileSync(file, "utf8"));
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2]);
}

function resolve(from, spec) {
  let base;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith("./") || spec.startsWith("../")) base = path.resolve(path.dirname(from), spec);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return { unresolved: base };
}

/** lib/<folder>/… → folder; null outside lib/ or in an excluded folder. A file directly in lib/ is its own "folder". */
function folderOf(file) {
  const rel = path.relative(lib, file);
  if (rel.startsWith("..")) return null;
  const [first] = rel.split(path.sep);
  if (EXCLUDED.has(first)) return null;
  return first.replace(/\.tsx?$/, "");
}

const files = sourceFiles(lib);
/** "A→B" → [[fromFile, toFile]] */
const fileEdges = new Map();
const graph = new Map();
const unresolved = [];
for (const file of files) {
  const from = folderOf(file);
  graph.set(from, graph.get(from) ?? new Set());
  for (const spec of specifiers(file)) {
    const target = resolve(file, spec);
    if (target === null) continue;
    if (typeof target === "object") {
      if (folderOf(target.unresolved) !== null) unresolved.push(`${path.relative(root, file)}: "${spec}"`);
      continue;
    }
    const to = folderOf(target);
    if (to === null || to === from) continue;
    graph.get(from).add(to);
    const key = `${from}→${to}`;
    if (!fileEdges.has(key)) fileEdges.set(key, []);
    fileEdges.get(key).push([path.relative(root, file), path.relative(root, target)]);
  }
}

/** Every elementary cycle, each found once: it starts at its smallest folder name. */
function elementaryCycles() {
  const nodes = [...graph.keys()].sort();
  const cycles = [];
  let truncated = false;
  for (const start of nodes) {
    const stack = [start];
    const onPath = new Set([start]);
    const visit = (node) => {
      for (const next of [...(graph.get(node) ?? [])].sort()) {
        if (cycles.length >= MAX_CYCLES) {
          truncated = true;
          return;
        }
        if (next === start) cycles.push([...stack, start]);
        else if (next > start && !onPath.has(next)) {
          stack.push(next);
          onPath.add(next);
          visit(next);
          onPath.delete(next);
          stack.pop();
        }
      }
    };
    visit(start);
  }
  return { cycles, truncated };
}

const { cycles, truncated } = elementaryCycles();
const edgeCount = [...graph.values()].reduce((n, s) => n + s.size, 0);
console.log(
  `check-cycles: ${files.length} files in ${graph.size} folders under lib/ (lib/generated left out), ${edgeCount} folder-to-folder edges`,
);
if (unresolved.length) {
  console.log(`imports that resolve to no file (fix them first):\n  ${unresolved.join("\n  ")}`);
}
if (cycles.length === 0) {
  console.log("no cycles between folders");
  process.exit(unresolved.length ? 1 : 0);
}
console.log(`${cycles.length}${truncated ? "+" : ""} cycle(s) between folders; each edge with the imports that make it:`);
for (const cycle of cycles) {
  console.log(`\n  ${cycle.join(" → ")}`);
  for (let i = 0; i < cycle.length - 1; i++) {
    const edges = fileEdges.get(`${cycle[i]}→${cycle[i + 1]}`);
    for (const [from, to] of edges.slice(0, MAX_FILE_EDGES)) console.log(`    ${from} → ${to}`);
    if (edges.length > MAX_FILE_EDGES)
      console.log(`    … and ${edges.length - MAX_FILE_EDGES} more from lib/${cycle[i]} to lib/${cycle[i + 1]}`);
  }
}
if (truncated) console.log(`\n(stopped listing after ${MAX_CYCLES} cycles)`);
process.exit(1);
