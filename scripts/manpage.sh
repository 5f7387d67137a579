#!/usr/bin/env bash
# scripts/manpage.sh - a man page from an executable's --help and --version,
# for `make install`.
#
#   manpage.sh EXECUTABLE 'one-line description' OUT.1
#
# help2man (Debian package help2man, in `make deps`) when it is there: it
# turns the options into a formatted OPTIONS section.  Without it (or with
# HELP2MAN set empty), the --help text goes in as it is (no-fill), which man
# shows faithfully.
set -euo pipefail
exe=$1 desc=$2 out=$3
name=$(basename "$exe")
h2m=${HELP2MAN-help2man}
if [ -n "$h2m" ] && command -v "$h2m" >/dev/null; then
	"$h2m" --no-info --no-discard-stderr --name="$desc" --output="$out.tmp" "$exe"
else
	version=$("$exe" --version | awk 'NR == 1 { print $NF }')
	{
		printf '.TH %s 1 "" "goodlens %s" "User Commands"\n' "$(tr '[:lower:]' '[:upper:]' <<<"$name")" "$version"
		printf '.SH NAME\n%s \\- %s\n.SH DESCRIPTION\n.nf\n' "$name" "$desc"
		# roff: a backslash is \e; a line starting with . or ' is protected by \&
		"$exe" --help | sed -e 's/\\/\\e/g' -e "s/^[.']/\\\\\&&/"
		printf '.fi\n'
	} >"$out.tmp"
fi
mv "$out.tmp" "$out"
