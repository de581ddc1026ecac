#!/usr/bin/env bash
# The run step of action.yml, kept here so it can be tested without a YAML parser or a runner
# (test/ci.test.ts). Inputs arrive as INPUT_* variables; GITHUB_STEP_SUMMARY and GITHUB_OUTPUT are files.
# One linkplan run writes JSON; every other output is rendered from it (verify and audit by `linkplan merge`, diff by
# scripts/action.mjs with diff's own renderers), so the summary, the annotations and the SARIF file agree and the
# binaries are read once. The exit code is linkplan's.
set -u
# --v8-pool-size=0: V8 compiles and collects on as many threads as there are cores less one, not 4 whatever the cores:
# on a 2-core runner a run over thousands of files is 8-16% faster (README, "Speed and the JIT").
LINKPLAN=${LINKPLAN:-"node --v8-pool-size=0 ${GITHUB_ACTION_PATH:-.}/dist/cli/bin.cjs"}
HELPER="$(dirname "${BASH_SOURCE[0]}")/action.mjs"
cmd=${INPUT_COMMAND:-verify}
format=${INPUT_FORMAT:-github}
out=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/linkplan-$$
mkdir -p "$out"
# A usage error: one annotation, exit-code 2 (the output is always set), nothing run.
usage() {
  echo "::error title=linkplan::$1"
  echo "exit-code=2" >> "$GITHUB_OUTPUT"
  exit 2
}
case "$cmd" in
  verify|audit|diff) ;;
  *) usage "unknown command '$cmd' (expected verify, audit or diff)" ;;
esac
# The formats the log can show, checked before anything runs (a typo would otherwise pass with nothing checked).
# diff has no JUnit report; json and sarif print nothing in the log (they are the files the outputs name).
if [ "$cmd" = diff ]; then formats="table github markdown json sarif"; else formats="table github junit markdown json sarif"; fi
case " $formats " in
  *" $format "*) ;;
  *) usage "unknown format '$format' for $cmd (expected ${formats// /, })" ;;
esac
args=()
[ -n "${INPUT_PLAN:-}" ] && args+=(--plan "$INPUT_PLAN")
# args: split into words with shell quoting ("a b", 'a b', \ ), never globbed or expanded (docs/ci.md).
node "$HELPER" args > "$out/args" || usage "the args input cannot be split into words (see the log above)"
while IFS= read -r -d '' a; do args+=("$a"); done < "$out/args"
# paths: one per line or separated by spaces (no globbing: the shell does not expand them here).
set -f
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
set +f
# linkplan exited 2 and wrote no report: it could not run (a missing path, a bad plan, a bad option; it said why on
# stderr). One annotation, one line in the summary, exit-code 2; no report output names an empty file.
could_not_run() {
  echo "::error title=linkplan::linkplan $cmd could not run (exit 2): see the log above"
  printf '## linkplan %s\n\n❌ **could not run** (exit 2): see the log of this step\n' "$cmd" >> "$GITHUB_STEP_SUMMARY"
  echo "exit-code=2" >> "$GITHUB_OUTPUT"
  exit 2
}
if [ "$cmd" = diff ]; then
  # diff: paths are the old and the new build. Its JSON is its own (no merge, no SARIF: a diff has no rules).
  if [ "${#paths[@]}" -ne 2 ]; then usage "diff needs two paths (old and new), got ${#paths[@]}"; fi
  $LINKPLAN diff "${args[@]}" -f json "${paths[@]}" > "$out/diff.json"
  code=$?
  if [ "$code" -eq 2 ] && ! [ -s "$out/diff.json" ]; then could_not_run; fi
  node "$HELPER" diff markdown "$out/diff.json" >> "$GITHUB_STEP_SUMMARY"
  case "$format" in json|sarif) ;; *) node "$HELPER" diff "$format" "$out/diff.json" ;; esac
  { echo "json=$out/diff.json"; echo "exit-code=$code"; } >> "$GITHUB_OUTPUT"
  exit "$code"
fi
$LINKPLAN "$cmd" "${args[@]}" -f json "${paths[@]}" > "$out/report.json"
code=$?
if [ "$code" -eq 2 ] && ! [ -s "$out/report.json" ]; then could_not_run; fi
kind=()
[ "$cmd" = audit ] && kind=(--audit)
# Append, never overwrite: other steps write to the same summary. --as-is: each output is the run's own report
# rendered, a --shard run's included (its SARIF carries the shard's automation id), an empty run's nothing-checked
# finding kept (or left out, when the args say --allow-empty).
$LINKPLAN merge "${kind[@]}" --as-is -f markdown "$out/report.json" >> "$GITHUB_STEP_SUMMARY"
$LINKPLAN merge "${kind[@]}" --as-is -f sarif "$out/report.json" > "$out/linkplan.sarif"
if [ "$format" != json ] && [ "$format" != sarif ]; then $LINKPLAN merge "${kind[@]}" --as-is -f "$format" "$out/report.json"; fi
{
  echo "sarif=$out/linkplan.sarif"
  echo "json=$out/report.json"
  echo "exit-code=$code"
} >> "$GITHUB_OUTPUT"
exit "$code"
