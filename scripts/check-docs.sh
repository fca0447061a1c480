#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-docs.sh - fail when a tool's options, its --help and its man page
# disagree (curl's test1139 idea), when a tool or script has no man page,
# when a page lacks EXIT STATUS, or when mandoc -Tlint warns.
#
# For each build/bin/bf-TOOL (source tools/bf-TOOL.c or tools/bf-TOOL/):
#   - every long option in the source's option tables (plus the common
#     options when BF_COMMON_LONGOPTS is used) must appear in
#     `bf-TOOL --help` and as `Fl \-name` in man/bf-TOOL.1;
#   - every long option `--help` shows must be in the source;
#   - every `.It Fl \-name` item of the man page must be in the source.
# For each scripts/bf-*: a man page, and `--help` options in the page.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${BF_BUILD:=$top/build}"
cd "$top" || exit 1
fail=0
checked=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bad() {
	echo "check-docs: $*" >&2
	fail=$((fail + 1))
}

common=$(sed -n '/#define BF_COMMON_LONGOPTS/,/^$/p' lib/opt.h |
	sed -n 's/.*{ "\([a-z0-9-]*\)",.*/\1/p' | sort -u)

for bin in "$BF_BUILD"/bin/bf-*; do
	[ -x "$bin" ] || continue
	tool=$(basename "$bin")
	checked=$((checked + 1))
	if [ -d "tools/$tool" ]; then
		src=$(ls "tools/$tool"/*.c)
	else
		src="tools/$tool.c"
	fi
	man="man/$tool.1"
	# shellcheck disable=SC2086
	sed -n 's/.*{ *"\([a-z0-9][a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/\1/p' $src |
		sort -u >"$tmp/src"
	# shellcheck disable=SC2086
	if grep -q BF_COMMON_LONGOPTS $src; then
		printf '%s\n' $common >>"$tmp/src"
		sort -u -o "$tmp/src" "$tmp/src"
	fi
	if ! "$bin" --help >"$tmp/help" 2>&1; then
		bad "$tool: --help failed"
		continue
	fi
	grep -o -- '--[a-z0-9][a-z0-9-]*' "$tmp/help" | sed 's/^--//' |
		sort -u >"$tmp/helpopts"
	if [ ! -f "$man" ]; then
		bad "$tool: no man page $man"
		continue
	fi
	grep -o 'Fl \\-[a-z0-9][a-z0-9-]*' "$man" | sed 's/^Fl \\-//' |
		sort -u >"$tmp/manopts"
	grep '^\.It' "$man" | grep -o 'Fl \\-[a-z0-9][a-z0-9-]*' |
		sed 's/^Fl \\-//' | sort -u >"$tmp/manitems"
	for o in $(comm -23 "$tmp/src" "$tmp/helpopts"); do
		bad "$tool: option --$o is not in --help"
	done
	for o in $(comm -23 "$tmp/src" "$tmp/manopts"); do
		bad "$tool: option --$o is not in $man"
	done
	for o in $(comm -13 "$tmp/src" "$tmp/helpopts"); do
		bad "$tool: --help shows --$o, which the source does not have"
	done
	for o in $(comm -13 "$tmp/src" "$tmp/manitems"); do
		bad "$tool: $man lists --$o, which the source does not have"
	done
	grep -q '^\.Sh EXIT STATUS' "$man" || bad "$tool: $man has no EXIT STATUS"
done

for s in scripts/bf-*; do
	[ -f "$s" ] || continue
	name=$(basename "$s")
	checked=$((checked + 1))
	man="man/$name.1"
	[ -f "$man" ] || { bad "$name: no man page $man"; continue; }
	if ! PATH="$BF_BUILD/bin:$top/scripts:$PATH" "$s" --help >"$tmp/help" 2>&1; then
		bad "$name: --help failed"
		continue
	fi
	for o in $(grep -o -- '--[a-z0-9][a-z0-9-]*' "$tmp/help" | sed 's/^--//' | sort -u); do
		grep -q "Fl \\\\-$o\\b" "$man" || bad "$name: --help shows --$o, $man does not"
	done
done

if command -v mandoc >/dev/null 2>&1; then
	for m in man/*.[1-9]; do
		[ -f "$m" ] || continue
		out=$(mandoc -Tlint -Wwarning "$m" 2>&1) || true
		[ -n "$out" ] && bad "mandoc -Tlint: $out"
	done
else
	bad "mandoc is not installed (make deps)"
fi

if [ $fail -eq 0 ]; then
	echo "check-docs: $checked tools and scripts: 1 passed, 0 failed"
else
	echo "check-docs: $fail problems: 0 passed, 1 failed"
	exit 1
fi
