# make fetch and what make pipeline says without the raw files, offline: a
# local HTTP server on 127.0.0.1 (python3, with byte ranges, and able to cut
# a response short once) serves files goodlens-sample wrote, in place of
# UCSD and GroupLens; the real recipes run with their addresses overridden
# on the command line.  Checked:
#   - without the files, make pipeline names each missing file, where it
#     goes and its address (or its archive), and how to fetch it;
#   - a cut download is resumed with a range request, in the same run and
#     in the next `make fetch`; the result is byte-identical;
#   - trust on first use: SHA256SUMS records each download, a later
#     download that differs is refused and leaves no file;
#   - a recipe's pinned checksum, and the publisher's .md5 file, are
#     enforced: a mismatch leaves neither the archive nor its members;
#   - a fetched MovieLens zip is unpacked and feeds the pipeline;
#   - file:// addresses work; offline, fetch fails and says so.
. "$TESTS/e2e/lib.sh"
root=$GL_ROOT
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }

# ---- what to serve -----------------------------------------------------------
srv=$SCRATCH/srv
mkdir -p "$srv/byGenre" "$srv/gl"
goodlens-sample -q --format goodreads-genre --genre poetry --seed 3 --users 150 --items 300 \
	--interactions 40000 --out "$SCRATCH/gen"
cp "$SCRATCH/gen"/goodreads_{interactions,books}_poetry.json.gz "$srv/byGenre/"
goodlens-sample -q --format ml-100k --seed 3 --users 100 --items 80 --interactions 2000 \
	--out "$SCRATCH/zip/ml-100k"
(cd "$SCRATCH/zip" && zip -qr "$srv/gl/ml-100k.zip" ml-100k)
md5=$(md5sum "$srv/gl/ml-100k.zip" | cut -d' ' -f1)
echo "MD5 (ml-100k.zip) = $md5" >"$srv/gl/ml-100k.zip.md5"
echo "MD5 (ml-100k.zip) = 0123456789abcdef0123456789abcdef" >"$srv/gl/bad.md5"
inter=$srv/byGenre/goodreads_interactions_poetry.json.gz
test "$(stat -c %s "$inter")" -gt 20000

# ---- the server --------------------------------------------------------------
# GET with "Range: bytes=N-"; each request logged as "path range"; a path
# listed in the file cut ("path bytes") is cut after that many bytes once.
cat >server.py <<'PY'
import http.server, os, sys, threading
root, portfile, log, cutfile = sys.argv[1:5]
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        path = os.path.join(root, self.path.lstrip("/"))
        rng = self.headers.get("Range", "-")
        with lock, open(log, "a") as f:
            f.write(f"{self.path} {rng}\n")
        if not os.path.isfile(path):
            self.send_error(404); return
        data = open(path, "rb").read()
        start = int(rng[6:].split("-")[0]) if rng.startswith("bytes=") else 0
        if start >= len(data) and start > 0:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0"); self.end_headers(); return
        cut = None
        with lock:
            lines = open(cutfile).read().split("\n") if os.path.exists(cutfile) else []
            for l in lines:
                if l.split(" ")[0] == self.path:
                    cut = int(l.split(" ")[1])
                    lines.remove(l)
                    open(cutfile, "w").write("\n".join(lines))
                    break
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        body = data[start:] if cut is None else data[start:cut]
        self.wfile.write(body)
        if cut is not None:
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(portfile + ".tmp", "w").write(str(s.server_address[1]))
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
PY
python3 server.py "$srv" port requests cut &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	if [ -s port ]; then break; fi
	sleep 0.1
done
port=$(cat port)
url=http://127.0.0.1:$port

# ---- without the files: what make pipeline says --------------------------------
raw=$SCRATCH/raw
if mk pipeline-run DATA=goodreads-poetry RAW="$raw" OUT="$SCRATCH/out" >out.txt 2>err.txt; then
	fail "pipeline ran without raw files"
fi
U=https://datarepo.eng.ucsd.edu/mcauley_group/gdrive/goodreads/byGenre
grep -q "^pipeline: the raw files of 'goodreads-poetry' (UCSD Goodreads poetry .*) are not all in $raw/:" err.txt ||
	fail "no heading"
grep -qF "missing $raw/goodreads_interactions_poetry.json.gz   from $U/goodreads_interactions_poetry.json.gz" err.txt ||
	fail "interactions not named"
grep -qF "missing $raw/goodreads_books_poetry.json.gz   from $U/goodreads_books_poetry.json.gz" err.txt ||
	fail "books not named"
grep -qF "make fetch DATA=goodreads-poetry RAW=$raw" err.txt || fail "no fetch command"
grep -qF "SYNTH=1" err.txt || fail "no offline hint"
test ! -e "$SCRATCH/out/ratings.raw.glr"
# A MovieLens file is named with its archive and the folder inside it; a file
# that is there is not listed.
mkdir -p "$SCRATCH/ml"
: >"$SCRATCH/ml/u.item"
if mk pipeline-run DATA=ml-100k RAW="$SCRATCH/ml" OUT="$SCRATCH/mlout" 2>err.txt >/dev/null; then
	fail "ml-100k ran"
fi
grep -qF "missing $SCRATCH/ml/u.data   inside ml-100k.zip (ml-100k/u.data) from https://files.grouplens.org/datasets/movielens/ml-100k.zip" err.txt ||
	{ cat err.txt; fail "archive member not explained"; }
refute_grep "missing .*u.item" err.txt
rm -rf "$SCRATCH/ml"

# ---- a cut download resumes in the same run; trust on first use -------------------
echo "/byGenre/goodreads_interactions_poetry.json.gz 7000" >"cut"
mk fetch DATA=goodreads-poetry RAW="$raw" UCSD="$url/byGenre" >log 2>&1 || { cat log; fail "fetch"; }
cmp "$inter" "$raw/goodreads_interactions_poetry.json.gz"
cmp "$srv/byGenre/goodreads_books_poetry.json.gz" "$raw/goodreads_books_poetry.json.gz"
grep -qx "/byGenre/goodreads_interactions_poetry.json.gz bytes=7000-" requests || { cat requests; fail "no resume"; }
grep -q "download cut at 7000 bytes; resuming" log || fail "cut not reported"
grep -q "trusting this first download" log
(cd "$raw" && sha256sum -c --quiet SHA256SUMS)
test "$(wc -l <"$raw/SHA256SUMS")" = 2
test -z "$(find "$raw" -name '*.part')" || fail "part file left"

# The fetched files run through the pipeline.
mk pipeline-run DATA=goodreads-poetry RAW="$raw" OUT="$SCRATCH/out" >log 2>&1 || { cat log; fail "pipeline"; }
test -s "$SCRATCH/out/report.html"

# A second fetch downloads nothing and checks what is there.
n=$(wc -l <requests)
mk fetch DATA=goodreads-poetry RAW="$raw" UCSD="$url/byGenre" >log 2>&1
test "$(wc -l <requests)" = "$n"
grep -q "goodreads_books_poetry.json.gz: SHA-256 matches the one recorded" log

# ---- a cut download resumes in the next make fetch ----------------------------
raw2=$SCRATCH/raw2
echo "/byGenre/goodreads_interactions_poetry.json.gz 9000" >"cut"
expect_status 2 mk fetch DATA=goodreads-poetry RAW="$raw2" UCSD="$url/byGenre" FETCH_TRIES=1 >log 2>&1
grep -q "kept: make fetch resumes it" log
test "$(stat -c %s "$raw2/goodreads_interactions_poetry.json.gz.part")" = 9000
test ! -e "$raw2/goodreads_interactions_poetry.json.gz"
mk fetch DATA=goodreads-poetry RAW="$raw2" UCSD="$url/byGenre" FETCH_TRIES=1 >log 2>&1 || { cat log; fail "resume"; }
grep -qx "/byGenre/goodreads_interactions_poetry.json.gz bytes=9000-" requests
cmp "$inter" "$raw2/goodreads_interactions_poetry.json.gz"

# ---- a later download that differs from the recorded one is refused ------------
rm "$raw/goodreads_books_poetry.json.gz"
goodlens-sample -q --format goodreads-genre --genre poetry --seed 4 --users 150 --items 300 \
	--interactions 40000 --out "$SCRATCH/gen2"
cp "$SCRATCH/gen2/goodreads_books_poetry.json.gz" "$srv/byGenre/"
expect_status 2 mk fetch DATA=goodreads-poetry RAW="$raw" UCSD="$url/byGenre" >log 2>&1
grep -q "goodreads_books_poetry.json.gz: SHA-256 .* differs from .* recorded in" log
test ! -e "$raw/goodreads_books_poetry.json.gz"
test ! -e "$raw/goodreads_books_poetry.json.gz.part"

# ---- pinned and published checksums (MovieLens) ----------------------------------
ml=$SCRATCH/ml
# The recipe pins the real ml-100k.zip's size and SHA-256: ours is refused.
expect_status 2 mk fetch DATA=ml-100k RAW="$ml" ARCHIVE_URL="$url/gl/ml-100k.zip" >log 2>&1
grep -q "ml-100k.zip is [0-9]* bytes, expected 4924029" log
expect_status 2 mk fetch DATA=ml-100k RAW="$ml" ARCHIVE_URL="$url/gl/ml-100k.zip" ARCHIVE_SIZE= >log 2>&1
grep -q "ml-100k.zip: SHA-256 [0-9a-f]*, expected 50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229" log
test ! -e "$ml/ml-100k.zip"
test ! -e "$ml/ml-100k.zip.part"
test ! -e "$ml/u.data"
# Without pins, the MD5 the publisher serves beside the zip decides.
nopin="ARCHIVE_SIZE= ARCHIVE_SHA256= ARCHIVE_MD5="
# shellcheck disable=SC2086
expect_status 2 mk fetch DATA=ml-100k RAW="$ml" ARCHIVE_URL="$url/gl/ml-100k.zip" $nopin \
	ARCHIVE_MD5_URL="$url/gl/bad.md5" >log 2>&1
grep -q "ml-100k.zip: MD5 $md5, expected 0123456789abcdef0123456789abcdef" log
test ! -e "$ml/ml-100k.zip"
test ! -e "$ml/u.data"
# shellcheck disable=SC2086
mk fetch DATA=ml-100k RAW="$ml" ARCHIVE_URL="$url/gl/ml-100k.zip" $nopin \
	ARCHIVE_MD5_URL="$url/gl/ml-100k.zip.md5" >log 2>&1 || { cat log; fail "ml-100k fetch"; }
grep -q "MD5 matches the publisher's" log
cmp "$SCRATCH/zip/ml-100k/u.data" "$ml/u.data"
cmp "$SCRATCH/zip/ml-100k/u.item" "$ml/u.item"
mk pipeline-run DATA=ml-100k RAW="$ml" OUT="$SCRATCH/mlout" >log 2>&1 || { cat log; fail "ml-100k pipeline"; }
test -s "$SCRATCH/mlout/report.html"

# ---- file:// addresses; offline ---------------------------------------------------
mk fetch DATA=goodreads-poetry RAW="$SCRATCH/raw3" UCSD="file://$SCRATCH/gen" >log 2>&1 || { cat log; fail "file://"; }
cmp "$SCRATCH/gen/goodreads_books_poetry.json.gz" "$SCRATCH/raw3/goodreads_books_poetry.json.gz"
kill $server
wait $server 2>/dev/null || true
expect_status 2 mk fetch DATA=goodreads-poetry RAW="$SCRATCH/raw4" UCSD="$url/byGenre" FETCH_TRIES=2 >log 2>&1
grep -q "download of $url/byGenre/goodreads_interactions_poetry.json.gz failed (curl exit 7: offline?)" log ||
	{ cat log; fail "offline not said"; }
test ! -e "$SCRATCH/raw4/goodreads_interactions_poetry.json.gz"
# The sample recipe is made, not fetched.
mk fetch DATA=sample RAW="$SCRATCH/raw5" >log
grep -q "is generated, not downloaded" log
