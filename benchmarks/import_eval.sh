#!/usr/bin/env bash
# Import quality on the shared evaluation set, both modes, as a Markdown table.
# Usage (from the project's root):  bash benchmarks/import_eval.sh PATH/TO/import-eval [LANG]
# LANG (default fr) restricts the scores to pages whose language starts with it; "all"
# scores every page. PYTHON selects the interpreter that has the project installed
# (default .venv/bin/python). Figures, not a test: nothing here can fail a build.
set -uo pipefail
data=$(cd "${1:?give the import-eval folder}" && pwd)
lang=${2:-fr}
python=${PYTHON:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
filter=(--lang "$lang")
[ "$lang" = all ] && filter=()

# score.py's lines → "body | snippets | title | author | date"
read -r -d '' SCORE <<'PY'
import re, sys
text = sys.stdin.read()
def grab(pattern):
    match = re.search(pattern, text)
    return match.group(1) if match else "—"
fields = [
    grab(r"body tokens \(macro over \d+ pages\): P=\S+ R=\S+ F1=(\S+)"),
    grab(r"snippets \(micro, \d+ snippets\): P=\S+ R=\S+ F1=(\S+)"),
    *(grab(rf"{key}: (\d+/\d+ = \S+)") for key in ("title", "author", "date")),
]
print(" | ".join(fields))
PY
score() { "$python" -c "$SCORE"; }

echo "| mode | body tokens F1 | snippets F1 | title | author | date |"
echo "|---|---|---|---|---|---|"
for mode in pasted html; do
  out="$work/$mode"
  mkdir -p "$out"
  "$python" - "$data" "$mode" <<'PY' | while IFS=$'\t' read -r id file; do
import json, sys
data, mode = sys.argv[1], sys.argv[2]
for line in open(f"{data}/gold.jsonl", encoding="utf-8"):
    record = json.loads(line)
    print(record["id"].replace("/", "__"), f"{data}/{record[mode]}", sep="\t")
PY
    "$python" build.py import "$file" --output "$out/$id.md" </dev/null >/dev/null 2>>"$out/errors.log" \
      || echo "import failed: $id" >>"$out/errors.log"
  done
  row=$("$python" "$data/score.py" "$out" --data "$data" "${filter[@]}" 2>/dev/null | score)
  failed=$(grep -c 'import failed' "$out/errors.log" 2>/dev/null)
  echo "| $mode (this importer) | $row |"
  [ "${failed:-0}" -gt 0 ] && echo "($mode: $failed page(s) could not be imported)" >&2
done
row=$("$python" "$data/score.py" --baseline-pasted --data "$data" "${filter[@]}" 2>/dev/null | score)
echo "| pasted text kept as is (floor) | $row |"
