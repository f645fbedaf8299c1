// SPDX-License-Identifier: MIT
// The benchmark's seven rules (bench/personas) in DuckDB's SQL, through its
// Node API: every column read as text (all_varchar), the rules as CASE
// expressions, the result written as CSV to standard output. What a team
// with an analytics database at hand might write instead of leadsift.
//
//   node score-duckdb.js NODE_MODULES LEADS.CSV
// NODE_MODULES: where npm installed @duckdb/node-api (make bench does).
'use strict';
const path = require('path');

const [modules, input] = process.argv.slice(2);
const { DuckDBInstance } = require(path.join(modules, '@duckdb/node-api'));

// Each cell a rule reads, normalised once: trimmed and lower-cased text,
// or a number as leadsift reads the generator's ("$8,000.00", "1,001-5,000").
const text = (col) => `lower(trim(coalesce("${col}", '')))`;
const number = (col) =>
  `TRY_CAST(split_part(replace(replace(trim(coalesce("${col}", '')), '$', ''), ',', ''), '-', 1) AS DOUBLE)`;
const cells = {
  industry: text('Industry'), title: text('Job Title'), email: text('Email'),
  message: text('Message'), budget: number('Budget'),
  tickets: number('Support Tickets per Month'), contract: number('Contract Value'),
  employees: number('Number of Employees'),
};

const rules = [
  [`_industry IN ('retail', 'hospitality', 'restaurants')`, 40,
   'mismatched-industry/not-served: industry we do not serve'],
  [`contains(_title, 'student') OR contains(_title, 'intern')`, 0,
   'non-buyer/student: student or intern'],
  [`ends_with(_email, '@gmail.com') OR ends_with(_email, '@yahoo.com') OR ends_with(_email, '.edu')`,
   10, 'non-buyer/free-mail: personal or school e-mail'],
  [`_budget < 2000`, 25, 'price-haggler/tiny-budget: budget under $2,000'],
  [`contains(_message, 'discount') OR contains(_message, 'best price') OR ` +
   `contains(_message, 'free version')`, 15,
   'price-haggler/discount-first: asks for a discount up front'],
  [`_tickets > 10 AND _contract < 5000`, 35,
   'support-drainer/tickets-small-contract: many tickets on a small contract'],
  [`_employees < 10`, 30, 'tiny-company/under-10: fewer than 10 employees'],
];
const held = rules.map(([cond], i) => `coalesce((${cond}), false) AS _r${i}`);
const score = `100 - (${rules.map(([, d], i) => `CASE WHEN _r${i} THEN ${d} ELSE 0 END`).join(' + ')})`;
const reasons = `concat_ws('; ', ${rules.map(([, , why], i) => `CASE WHEN _r${i} THEN '${why}' END`).join(', ')})`;
const internal = [...Object.keys(cells).map((k) => `_${k}`), ...rules.map((_, i) => `_r${i}`)];

async function main() {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const leads = `read_csv('${input.replace(/'/g, "''")}', header = true, all_varchar = true, ` +
    `delim = ',', quote = '"', escape = '"')`;
  const normalised = `SELECT *, ${Object.entries(cells).map(([k, e]) => `${e} AS _${k}`).join(', ')} ` +
    `FROM ${leads}`;
  const tested = `SELECT *, ${held.join(', ')} FROM (${normalised})`;
  await conn.run(`COPY (SELECT * EXCLUDE (${internal.join(', ')}),
      CAST(${score} AS VARCHAR) AS score,
      CASE WHEN _r1 OR ${score} < 50 THEN 'true' ELSE 'false' END AS disqualified,
      ${reasons} AS reasons FROM (${tested})) TO '/dev/stdout' (FORMAT csv, HEADER true)`);
}

main().catch((e) => {
  process.stderr.write(`score-duckdb: ${e.message}\n`);
  process.exit(1);
});
