# goodlens-extract's files call one way: main (extract_main.c) -> driver
# (extract.c) -> kind table (extract_kind.c) -> readers (extract_src_*.c but
# extract_src_csv.c) -> the helpers under them (extract_src.c, extract_src_csv.c,
# extract_value.c, extract_facts.c, ...) -> lib.  Who calls whom is read from
# the object files' symbols: a call up a layer, or between two readers, or a
# loop among the helpers fails.  And every etl/extract*.h declares only
# functions that its own .c defines.
. "$TESTS/e2e/lib.sh"
need nm tsort
root=$GL_ROOT
build=$(sed -n 's/.*BUILD=\([^ ]*\).*/\1/p' <<<"${GL_MAKE_ARGS:-}")
obj=${build:-$root/build}/etl
if [ ! -f "$obj/extract_main.o" ]; then fail "no $obj/extract_main.o: build first (make all)"; fi

layer() {
	case $1 in
	extract_main) echo 0 ;;
	extract) echo 1 ;;
	extract_kind) echo 2 ;;
	extract_src_csv) echo 4 ;;
	extract_src_*) echo 3 ;;
	*) echo 4 ;;
	esac
}

# every etl object but the sample generator's: name, then its symbols
: >defs
: >uses
for o in "$obj"/*.o; do
	n=$(basename "$o" .o)
	case $n in sample*) continue ;; esac
	nm -g --defined-only "$o" | awk -v n="$n" 'NF == 3 { print $3, n }' >>defs
	nm -u "$o" | awk -v n="$n" '{ print n, $NF }' >>uses
done
# caller callee, once per pair
awk 'NR == FNR { owner[$1] = $2; next }
     ($2 in owner) && owner[$2] != $1 { print $1, owner[$2] }' defs uses | sort -u >calls
if [ ! -s calls ]; then fail "no calls found between etl objects"; fi
grep -qx 'extract extract_kind' calls
grep -qx 'extract_kind extract_src_goodreads_json' calls
grep -qx 'extract_src_goodreads_json extract_src' calls

while read -r from to; do
	a=$(layer "$from") b=$(layer "$to")
	if [ "$b" -lt "$a" ] || { [ "$a" = "$b" ] && [ "$a" != 4 ]; }; then
		fail "$from.c calls $to.c: against the layers main -> driver -> kinds -> readers -> helpers"
	fi
done <calls
tsort calls >order 2>tsort.err || fail "the calls loop: $(cat tsort.err)"
refute_grep loop tsort.err

# each etl/extract*.h: its functions are defined in the .c of the same name
for h in "$root"/etl/extract*.h; do
	n=$(basename "$h" .h)
	grep -E '^[a-z][a-z0-9_ *]*[ *][a-z_][a-z0-9_]*\(' "$h" | grep -v '^typedef' |
		sed -E 's/^[^(]*[ *]([a-z_][a-z0-9_]*)\(.*/\1/' >declared
	while read -r fn; do
		if ! grep -qx "$fn $n" defs; then
			fail "etl/$n.h declares $fn, which $n.c does not define (it is in: $(grep "^$fn " defs | cut -d' ' -f2))"
		fi
	done <declared
done
echo "extract layers ok: $(wc -l <calls) calls, one way"
