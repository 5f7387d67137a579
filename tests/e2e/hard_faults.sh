# Fault injection over every stage (extract, join, filter, train, report,
# export, sample): a size limit (ulimit -f), a full disk (a small tmpfs, and
# /dev/full as an output file), an unreadable input, a read error in the
# middle of an input (tests/shim/faults.c), SIGINT and SIGTERM while the
# outputs are written and while the input is read.  Every case must exit
# non-zero with a clear message, leave no temporary file, and leave the
# earlier complete output of the same stage byte for byte as it was.
# The tmpfs cases need root (the test machines run as root); elsewhere the
# rest runs and the test ends as a skip that names what did not run.
. "$TESTS/e2e/lib.sh"

# ---- fixtures: a small real run ---------------------------------------------
goodlens-sample --format goodreads --out s -q --users 60 --items 40 --interactions 1500 --seed 4
goodlens-extract -q --out x s/goodreads_interactions_dedup.json.gz s/goodreads_books.json.gz \
	s/goodreads_book_works.json.gz s/goodreads_book_authors.json.gz
goodlens-join -q --on book_id --kind left x/items.raw.csv x/books.csv -o x/items.titled.csv
goodlens-filter -q --users x/users.raw.csv --items x/items.titled.csv -o p x/ratings.raw.glr
goodlens-train -q --epochs 2 --factors 8 -o p p/ratings.glr
zcat s/goodreads_interactions_dedup.json.gz >plain.json

cc -shared -fPIC -O2 -o faults.so "$TESTS/shim/faults.c" -ldl
SHIM=$PWD/faults.so
# an ASan build wants its runtime first; the shim only wraps read and fsync
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

# ---- the stages: cmd NAME OUT [input] sets CMD to stage NAME writing into
# OUT (from its usual input, or the one given); st runs it. ------------------
# $Q is -q except where a test reads the interrupt message.
Q=(-q)
cmd() {
	local name=$1 out=$2 in=${3:-}
	case $name in
	extract) CMD=(goodlens-extract "${Q[@]}" --out "$out" "${in:-s/goodreads_interactions_dedup.json.gz}"
		s/goodreads_books.json.gz) ;;
	join) mkdir -p "$out"
		CMD=(goodlens-join "${Q[@]}" --on book_id --kind left x/items.raw.csv "${in:-x/books.csv}"
		-o "$out/items.titled.csv" --stats "$out/join.stats.csv") ;;
	filter) CMD=(goodlens-filter "${Q[@]}" --users x/users.raw.csv --items "${in:-x/items.titled.csv}"
		-o "$out" x/ratings.raw.glr) ;;
	train) mkdir -p "$out"
		CMD=(goodlens-train "${Q[@]}" --epochs "${EPOCHS:-2}" --factors 8 -o "$out" "${in:-p/ratings.glr}") ;;
	report) CMD=(goodlens-report "${Q[@]}" --in "${in:-p}" --out "$out") ;;
	export) CMD=(goodlens-export goodbooks "${Q[@]}" --in "${in:-x}" --out "$out" --books 30) ;;
	sample) CMD=(goodlens-sample --format goodreads --out "$out" "${Q[@]}" --users 60 --items 40
		--interactions 1500 --seed 4) ;;
	esac
}
st() { cmd "$@" && "${CMD[@]}"; }
STAGES="extract join filter train report export sample"

# the inode too: a file replaced by the same bytes is still replaced
sums() { (cd "$1" && find . -type f -printf '%p %i ' -exec sha256sum {} \; | sort); }

# snap OUT: remember OUT's files; intact OUT WHAT: OUT holds exactly them
sumfile() { echo "$SCRATCH/sums.${1//\//_}"; }
snap() { sums "$1" >"$(sumfile "$1")"; }
intact() {
	local hidden
	hidden=$(find "$1" -mindepth 1 -maxdepth 1 -name '.*' -printf '%f ')
	[ -z "$hidden" ] || { echo "FAIL $2: temporaries left in $1: $hidden"; return 1; }
	sums "$1" >"$SCRATCH/sums.now"
	cmp -s "$SCRATCH/sums.now" "$(sumfile "$1")" ||
		{ echo "FAIL $2: $1 changed"; diff "$(sumfile "$1")" "$SCRATCH/sums.now" | awk 'NR <= 10'; return 1; }
}

# expect_fail WHAT STATUS TEXT OUT GOT: status and message of a run, OUT intact
expect_fail() {
	local what=$1 want=$2 text=$3 out=$4 got=$5
	[ "$got" = "$want" ] || { echo "FAIL $what: exit $got, expected $want"; tail -n 5 err; return 1; }
	[ -z "$text" ] || grep -qi -- "$text" err || { echo "FAIL $what: no '$text' in:"; tail -n 5 err; return 1; }
	intact "$out" "$what"
	echo "ok   $what: $([ -z "$text" ] || grep -i -m1 -- "$text" err)"
}

for t in $STAGES; do
	st "$t" "good-$t"
	snap "good-$t"
done

# ---- a size limit: SIGXFSZ is ignored, the write fails with EFBIG ------------
for t in $STAGES; do
	st=0
	cmd "$t" "good-$t"
	(ulimit -f 2 && exec "${CMD[@]}") 2>err || st=$?
	expect_fail "ulimit -f $t" 1 "File too large" "good-$t" $st
done

# ---- /dev/full as an output file: written in place, never replaced --------
expect_status 1 goodlens-join -q --on book_id x/items.raw.csv x/books.csv -o /dev/full 2>err
grep -q 'cannot write /dev/full: No space left on device' err
expect_status 1 goodlens-export ratings-csv -q -o /dev/full p/ratings.glr 2>err
grep -q 'No space left on device' err
expect_status 1 goodlens-join -q --on book_id x/items.raw.csv x/books.csv -o j.csv --stats /dev/full 2>err
grep -q 'No space left on device' err
test ! -e j.csv
[ -c /dev/full ] || { echo "FAIL /dev/full is no longer a device"; exit 1; }
echo "ok   /dev/full as -o and --stats"

# ---- a full disk in the middle of the outputs: a small tmpfs ---------------
not_run=
if [ "$(id -u)" = 0 ]; then
	mkdir disk
	mount -t tmpfs -o size=8m tmpfs disk
	trap 'umount "$SCRATCH/disk"' EXIT
	for t in $STAGES; do
		rm -rf disk/*
		st "$t" disk/o
		snap disk/o
		# leave one page free: the stage fails part-way through its outputs
		dd if=/dev/zero of=disk/filler bs=4k 2>/dev/null || true
		truncate -s -4K disk/filler
		st=0
		st "$t" disk/o 2>err || st=$?
		expect_fail "full disk $t" 1 "No space left on device" disk/o $st
	done
	umount disk
	trap - EXIT
else
	not_run="the full-disk cases (a small tmpfs needs root)"
fi

# ---- an unreadable input ------------------------------------------------------
# root reads anything: drop the capabilities that let it
noread=
if [ "$(id -u)" = 0 ]; then
	noread="setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search"
fi
mkdir locked
cp s/goodreads_interactions_dedup.json.gz x/books.csv x/items.titled.csv locked/
cp -r p locked/p
chmod 000 locked/goodreads_interactions_dedup.json.gz locked/books.csv locked/items.titled.csv \
	locked/p/items.csv locked/p/ratings.glr
cp -r x locked/x && chmod 000 locked/x/books.csv
for case in "extract locked/goodreads_interactions_dedup.json.gz" "join locked/books.csv" \
	"filter locked/items.titled.csv" "train locked/p/ratings.glr" "report locked/p" \
	"export locked/x"; do
	read -r stage input <<<"$case"
	cmd "$stage" "good-$stage" "$input"
	st=0
	# shellcheck disable=SC2086 # $noread is a command and its options, or nothing
	$noread "${CMD[@]}" 2>err || st=$?
	expect_fail "unreadable input $stage" 1 "Permission denied" "good-$stage" $st
done
# a folder where a file belongs
st=0
goodlens-extract -q --source goodreads-json --out good-extract locked 2>err || st=$?
expect_fail "folder as input" 1 "Is a directory" good-extract $st

# ---- a read error in the middle of an input (LD_PRELOAD shim) ---------------
# readfail FILE-PART BYTES CMD...: read() of that file fails after BYTES
readfail() {
	local part=$1 bytes=$2
	shift 2
	GL_SHIM_READ_PATH=$part GL_SHIM_READ_FAIL=$bytes LD_PRELOAD=$SHIM "$@"
}
for case in "extract plain.json 100000" "extract s/goodreads_interactions_dedup.json.gz 20000" \
	"join x/books.csv 5000" "filter x/items.titled.csv 2000" "report p/items.csv 1000" \
	"export x/books.csv 5000"; do
	read -r stage input bytes <<<"$case"
	case $stage in report) cmd report good-report ;; export) cmd export good-export ;;
	*) cmd "$stage" "good-$stage" "$input" ;; esac
	st=0
	readfail "$input" "$bytes" "${CMD[@]}" 2>err || st=$?
	expect_fail "read error in $stage ($input after $bytes bytes)" 1 "Input/output error" "good-$stage" $st
done

# ---- SIGINT and SIGTERM --------------------------------------------------------
# interrupt NAME SIG HOW: start stage NAME on its earlier output, interrupt it
# (HOW = fsync: at the first fsync, when a temporary is written but not yet
# renamed; HOW = read: while it waits on a pipe that stalls; HOW = work: a
# moment into a long computation), then check.
Q=()
interrupt() {
	local name=$1 sig=$2 how=$3 pid feeder='' st=0
	rm -f mark stall
	case $how in
	fsync)
		cmd "$name" "good-$name"
		GL_SHIM_PAUSE_FSYNC=1 GL_SHIM_MARK=$PWD/mark LD_PRELOAD=$SHIM "${CMD[@]}" 2>err &
		pid=$!
		;;
	read)
		mkfifo stall
		if [ "$name" = extract ]; then
			{ zcat s/goodreads_interactions_dedup.json.gz | sed -n 1,300p; touch mark; sleep 60; } >stall &
			feeder=$!
			goodlens-extract --source goodreads-json --out good-extract stall 2>err &
		else
			{ head -n 20 x/books.csv; touch mark; sleep 60; } >stall &
			feeder=$!
			goodlens-join --on book_id --build left -o good-join/items.titled.csv \
				--stats good-join/join.stats.csv x/items.raw.csv stall 2>err &
		fi
		pid=$!
		;;
	work)
		EPOCHS=1000000 cmd "$name" "good-$name"
		"${CMD[@]}" -q 2>err &
		pid=$!
		sleep 1
		touch mark
		;;
	esac
	for _ in $(seq 600); do
		if [ -e mark ]; then break; fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	[ -e mark ] || { echo "FAIL $name $how: never reached the point to interrupt"; tail -n 5 err; return 1; }
	sleep 0.2
	kill -s "$sig" $pid
	wait $pid || st=$?
	if [ -n "$feeder" ]; then
		kill $feeder 2>/dev/null || true
		wait $feeder 2>/dev/null || true
	fi
	local want=$((128 + $(kill -l "$sig"))) text=terminated
	[ "$sig" = TERM ] || text=interrupted
	if [ "$how" = work ]; then text=''; fi # -q: the message is not printed
	expect_fail "SIG$sig $name ($how)" $want "$text" "good-$name" $st
}
for t in $STAGES; do
	interrupt "$t" INT fsync
	interrupt "$t" TERM fsync
done
interrupt extract INT read
interrupt extract TERM read
interrupt join INT read
interrupt train INT work
interrupt train TERM work
if [ -n "$not_run" ]; then
	skip "not root: $not_run did not run; the rest passed"
fi
echo "faults ok"
