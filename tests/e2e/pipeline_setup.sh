# The README's two commands are all a newcomer types:
#   - `make pipeline` builds every executable into bin/ (the shell examples
#     use goodlens-recommend and goodlens-export too), here into a BIN of
#     its own;
#   - `make test` sets itself up first, as pipeline does: its deps step
#     comes before any compile, and without root and with a package
#     missing it prints the exact sudo command and stops before building
#     anything (dpkg-query and id are shims here);
#   - the README says how to put bin/ on PATH.
root=$GL_ROOT
fail() { echo "FAIL: $*" >&2; exit 1; }
# A make of its own, one job, so the order of steps is the order listed.
mk1() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$root" --no-print-directory "$@"; }
build=$(sed -n 's/.*BUILD=\([^ ]*\).*/\1/p' <<<"$GL_MAKE_ARGS")

# make pipeline would install missing packages as root: run it only when
# they are all here.
# shellcheck disable=SC2016 # $($*) is make's, not the shell's
pkgs=$(mk1 -s --eval 'gl-print-%: ; @echo $($*)' gl-print-DEB_BUILD 2>/dev/null) || {
	echo "skip: the build packages are not all here"
	exit 77
}
[ -n "$pkgs" ] || fail "no DEB_BUILD in the Makefile"
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || st="not installed"
	case $st in
	*"ok installed"*) ;;
	*)
		echo "skip: Debian package $p is not installed"
		exit 77
		;;
	esac
done
bin=$SCRATCH/bin
mk1 pipeline BUILD="$build" BIN="$bin" DATA=ml-100k SYNTH=1 RAW="$SCRATCH/raw" OUT="$SCRATCH/out" \
	>log 2>&1 || { tail -n 30 log; fail "make pipeline"; }
test -s "$SCRATCH/out/report.html" || fail "no report"
n=0
for m in "$root"/*/*_main.c; do
	t=goodlens-$(basename "$m" _main.c)
	test -x "$bin/$t" || fail "make pipeline did not build $t"
	n=$((n + 1))
done
[ $n -ge 8 ] || fail "only $n tools found"
test -x "$bin/goodlens-recommend" || fail "make pipeline did not build goodlens-recommend"
test -x "$bin/goodlens-export" || fail "make pipeline did not build goodlens-export"

# make -n test: the deps step (dpkg-query over the packages) comes first.
mk1 -n test BUILD="$SCRATCH/nobuild" BIN="$SCRATCH/nobin" >dry.txt 2>&1 || { cat dry.txt; fail "make -n test"; }
first=$(awk '/dpkg-query/ { print NR; exit }' dry.txt)
cc=$(awk '/^cc |^\$\(CC\)|^clang |^gcc / { print NR; exit }' dry.txt)
[ -n "$first" ] || fail "make -n test has no deps step"
[ -n "$cc" ] && [ "$first" -lt "$cc" ] || fail "the deps step (line $first) is not before the first compile (line $cc)"
grep -q 'libcmocka-dev' dry.txt || fail "the deps step does not check the test packages"

# Not root, a test package missing: the sudo command, and no compile.
mkdir shim
cat >shim/dpkg-query <<'SH'
#!/bin/sh
# every package installed but libcmocka-dev
for a; do p=$a; done
[ "$p" = libcmocka-dev ] && exit 1
printf 'install ok installed'
SH
printf '#!/bin/sh\necho 1000\n' >shim/id
chmod +x shim/dpkg-query shim/id
if PATH=$PWD/shim:$PATH mk1 test BUILD="$SCRATCH/b2" BIN="$SCRATCH/b2/bin" >t.txt 2>&1; then
	fail "make test went on without libcmocka-dev"
fi
grep -qx "run: sudo apt-get update && sudo apt-get install -y --no-install-recommends libcmocka-dev" t.txt ||
	{ cat t.txt; fail "no exact sudo command"; }
if [ -e "$SCRATCH/b2" ]; then fail "make test built something before its packages were there"; fi

# shellcheck disable=SC2016 # the README's line, word for word
grep -qF 'export PATH="$PWD/bin:$PATH"' "$root/README.md" || fail "README does not say how to put bin/ on PATH"
