#!/bin/sh
# Record Neovim using `edition lsp` (docs/lsp-neovim.cast, asciicast v2: play it with `asciinema play`).
# A copy of tei/ in a temporary folder gets one half-typed pointer, ref="org:", in a new paragraph; Neovim
# (with its built-in LSP client, docs/record-lsp-neovim.lua) shows the diagnostics of that line and then
# the completion of the pointer. Needs nvim and util-linux's script; run from the repository's root.
set -eu
here=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r tei "$work/tei"
doc="$work/tei/documents/2011-05-05-resolution-korean-peninsula.xml"
python3 - "$doc" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
i = text.index('<p xml:id="korea2011-p07">')
new = '<p xml:id="korea2011-p08">The <orgName ref="org:kke">KKE</orgName> and <orgName ref="org:">the party</orgName>.</p>\n      '
open(path, "w", encoding="utf-8").write(text[:i] + new + text[i:])
print(text[:i].count("\n") + 1, file=open(path + ".line", "w"))
PY
export REC_ROOT="$work/tei" REC_LINE="$(cat "$doc.line")" TERM=xterm-256color PYTHONPATH="$here/scripts"
export XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
cd "$work"
(sleep 30) | script -q --timing="$work/timing" \
  -c "stty rows 24 cols 110; nvim -n -i NONE -u '$here/docs/record-lsp-neovim.lua' tei/documents/$(basename "$doc")" \
  "$work/typescript" >/dev/null 2>&1
python3 - "$work/typescript" "$work/timing" "$here/docs/lsp-neovim.cast" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
data = data[data.index(b"\n") + 1 :]  # script's own first line
out, t, pos = [json.dumps({"version": 2, "width": 110, "height": 24, "title": "edition lsp in Neovim"})], 0.0, 0
for line in open(sys.argv[2]):
    delay, size = line.split()
    t += float(delay)
    out.append(json.dumps([round(t, 3), "o", data[pos : pos + int(size)].decode("utf-8", "replace")]))
    pos += int(size)
open(sys.argv[3], "w").write("\n".join(out) + "\n")
PY
echo "wrote docs/lsp-neovim.cast"
