// bench/duckdb_etl.mjs - issue 17's ETL task in DuckDB, the reference
// bench/duckdb.sh times goodlens against (run by that script; DuckDB comes
// from the npm registry into BENCH_DIR, never from the repository).
//
//   node duckdb_etl.mjs MODULES THREADS INTERACTIONS.json.gz BOOKS.json.gz OUT.csv
//   node duckdb_etl.mjs MODULES THREADS --startup
//
// MODULES is the folder `npm install --prefix` filled (its node_modules
// holds @duckdb/node-api).  The task: the Goodreads interactions read with
// explicit columns, rating 0 (shelved, not rated) dropped, the 5-core on
// users and books repeated until no row goes, each rating's title by a
// LEFT JOIN of the books file on book_id, and the rows written as CSV with
// the source's ids: user_id,book_id,rating,title.  --startup stops after
// node has loaded DuckDB and opened a database, so the caller can measure
// that cost alone.  Prints the k-core's passes and the rows kept on stderr.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const K = 5;
const [modules, threads, ...rest] = process.argv.slice(2);
if (!modules || !threads || rest.length === 0) {
	console.error('usage: duckdb_etl.mjs MODULES THREADS (INTERACTIONS BOOKS OUT | --startup)');
	process.exit(2);
}
const require = createRequire(join(modules, 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await db.connect();
if (rest[0] === '--startup') {
	process.exit(0);
}
if (rest.length !== 3) {
	console.error('usage: duckdb_etl.mjs MODULES THREADS INTERACTIONS BOOKS OUT');
	process.exit(2);
}
const [interactions, books, out] = rest;
// SQL string literal
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const count = async () => Number((await con.runAndReadAll('SELECT count(*) FROM r')).getRows()[0][0]);

// Row order is not part of the task (the caller sorts both outputs), so
// DuckDB need not keep it: that lets it write and aggregate with less
// memory, the setting its documentation gives for large loads.
await con.run('SET preserve_insertion_order = false');
await con.run(`CREATE TABLE r AS
	SELECT user_id, book_id, rating
	FROM read_json(${lit(interactions)}, format = 'newline_delimited', compression = 'gzip',
		columns = {user_id: 'VARCHAR', book_id: 'VARCHAR', rating: 'INTEGER'})
	WHERE rating > 0`);
// The k-core: drop the users and the books with fewer than K ratings, and
// again, until a pass drops nothing (removing both at once in a pass
// reaches the same fixed point as any other order of removal: the k-core is
// unique).
let n = await count();
let passes = 0;
for (;;) {
	passes++;
	await con.run(`CREATE OR REPLACE TABLE r AS
		SELECT * FROM r
		WHERE user_id IN (SELECT user_id FROM r GROUP BY user_id HAVING count(*) >= ${K})
		  AND book_id IN (SELECT book_id FROM r GROUP BY book_id HAVING count(*) >= ${K})`);
	const m = await count();
	if (m === n) break;
	n = m;
}
// The titles last: joining the few kept books, not every rating, before
// the k-core (the rows are the same, the books file has one row per book).
await con.run(`COPY (
	SELECT r.user_id, r.book_id, r.rating, b.title
	FROM r LEFT JOIN read_json(${lit(books)}, format = 'newline_delimited', compression = 'gzip',
		columns = {book_id: 'VARCHAR', title: 'VARCHAR'}) AS b USING (book_id)
) TO ${lit(out)} (FORMAT csv, HEADER true)`);
console.error(`duckdb: ${n} rows after ${passes} k-core passes`);
