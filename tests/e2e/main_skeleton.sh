# main_skeleton: every tool's main() has the one shape of lib/cli.h.  No
# C file under lib/, etl/, join/, train/ or report/ other than a tool's
# *_main.c calls exit(); every *_main.c answers --help and --version through
# CLI_DONE and maps its statuses through cli_parse_status and cli_status;
# and every tool behaves alike: --help and --version exit 0 with nothing on
# stderr (whatever follows them), a bad option before them exits 2 with
# the hint "try 'goodlens-X --help'".
. "$TESTS/e2e/lib.sh"
root=$GL_ROOT

# ---- the sources ------------------------------------------------------------
# a call: exit( _exit( _Exit( quick_exit( not part of a longer name, on a
# line that is not a comment
find "$root/lib" "$root/etl" "$root/join" "$root/train" "$root/report" \
	-name '*.[ch]' ! -name '*_main.c' | sort >below_main.txt
test -s below_main.txt
st=0
xargs grep -nHE '(^|[^A-Za-z0-9_])(_?exit|_Exit|quick_exit)[[:space:]]*\(' <below_main.txt >hits.txt || st=$?
if [ "$st" -gt 1 ]; then fail "grep could not read the sources (exit $st)"; fi
st=0
grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)' hits.txt >calls.txt || st=$?
if [ "$st" -gt 1 ]; then fail "grep could not read hits.txt"; fi
if [ -s calls.txt ]; then
	cat calls.txt >&2
	fail "exit() below a tool's main()"
fi

tools="extract sample join filter export train recommend report"
for t in $tools; do
	src=$(ls "$root"/*/"${t}_main.c")
	grep -q 'CLI_DONE' "$src" || fail "$src: --help is not answered through CLI_DONE"
	grep -q 'cli_parse_status(PROG, err)\|cli_parse_status(prog, err)' "$src" ||
		fail "$src: main does not map parse() through cli_parse_status"
	grep -q 'cli_status(' "$src" || fail "$src: main does not map its run through cli_status"
done

# ---- the tools ----------------------------------------------------------------
for t in $tools; do
	p=goodlens-$t
	"$p" --help >help.out 2>help.err
	test -s help.out
	if [ -s help.err ]; then fail "$p --help wrote on stderr"; fi
	"$p" --help --no-such-option >help2.out 2>help2.err
	cmp -s help.out help2.out || fail "$p --help --no-such-option is not --help"
	if [ -s help2.err ]; then fail "$p --help --no-such-option wrote on stderr"; fi
	"$p" --version >ver.out 2>ver.err
	test "$(cat ver.out)" = "$p $(sed -n 's/^#define GOODLENS_VERSION "\(.*\)"$/\1/p' "$root/lib/cli.h")"
	if [ -s ver.err ]; then fail "$p --version wrote on stderr"; fi
	expect_status 2 "$p" --no-such-option --help >bad.out 2>bad.err
	if [ -s bad.out ]; then fail "$p --no-such-option --help wrote on stdout"; fi
	test "$(sed -n 1p bad.err)" = "$p: unknown option '--no-such-option'"
	test "$(sed -n 2p bad.err)" = "try '$p --help'"
	test "$(wc -l <bad.err)" = 2
done
echo "main_skeleton: ok"
