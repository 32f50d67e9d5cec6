// Runs SQL statements with DuckDB and prints their results as one JSON array on stdout:
//   node tests/npm/duckdb_query.js "SELECT ..." ["SELECT ..." ...]
//   -> [{"columns": [...], "types": [...], "rows": [[...], ...]}, ...]
// C++ tests use it as an independent reader of the files sluice writes (Parquet today).
// Every value is printed as text so that nothing is lost on the way: integers beyond 2^53,
// decimals and timestamps keep all their digits; SQL NULL is JSON null. Install its one
// dependency with `npm ci --prefix tests/npm`.
'use strict';

const { DuckDBInstance } = require('@duckdb/node-api');

function AsText(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return String(value);
}

async function Main(statements) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const results = [];
  for (const sql of statements) {
    const reader = await connection.runAndReadAll(sql);
    results.push({
      columns: reader.columnNames(),
      types: reader.columnTypes().map((type) => type.toString()),
      rows: reader.getRows().map((row) => row.map(AsText)),
    });
  }
  process.stdout.write(JSON.stringify(results));
}

Main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`duckdb_query: ${error.message}\n`);
  process.exit(1);
});
