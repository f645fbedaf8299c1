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

// A cell as leadsift reads the generator's numbers: "$8,000.00", "1,001-5,000".
const number = (col) =>
  `TRY_CAST(split_part(replace(replace(trim(coalesce("${col}", '')), '$', ''), ',', ''), '-', 1) AS DOUBLE)`;
const text = (col) => `lower(trim(coalesce("${col}", '')))`;

const rules = [
  [`${text('Industry')} IN ('retail', 'hospitality', 'restaurants')`, 40,
   'mismatched-industry/not-served: industry we do not serve'],
  [`contains(${text('Job Title')}, 'student') OR contains(${text('Job Title')}, 'intern')`, 0,
   'non-buyer/student: student or intern'],
  [`ends_with(${text('Email')}, '@gmail.com') OR ends_with(${text('Email')}, '@yahoo.com') OR ` +
   `ends_with(${text('Email')}, '.edu')`, 10, 'non-buyer/free-mail: personal or school e-mail'],
  [`${number('Budget')} < 2000`, 25, 'price-haggler/tiny-budget: budget under $2,000'],
  [`contains(${text('Message')}, 'discount') OR contains(${text('Message')}, 'best price') OR ` +
   `contains(${text('Message')}, 'free version')`, 15,
   'price-haggler/discount-first: asks for a discount up front'],
  [`${number('Support Tickets per Month')} > 10 AND ${number('Contract Value')} < 5000`, 35,
   'support-drainer/tickets-small-contract: many tickets on a small contract'],
  [`${number('Number of Employees')} < 10`, 30, 'tiny-company/under-10: fewer than 10 employees'],
];
const held = (cond) => `coalesce((${cond}), false)`;
const score = `100 - (${rules.map(([c, d]) => `CASE WHEN ${held(c)} THEN ${d} ELSE 0 END`).join(' + ')})`;
const reasons = `concat_ws('; ', ${rules
  .map(([c, , why]) => `CASE WHEN ${held(c)} THEN '${why}' END`).join(', ')})`;

async function main() {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const leads = `read_csv('${input.replace(/'/g, "''")}', header = true, all_varchar = true, ` +
    `delim = ',', quote = '"', escape = '"', sample_size = -1)`;
  await conn.run(`CREATE VIEW scored AS SELECT *, ${score} AS score FROM ${leads}`);
  await conn.run(`COPY (SELECT * EXCLUDE (score), CAST(score AS VARCHAR) AS score,
      CASE WHEN ${held(rules[1][0])} OR score < 50 THEN 'true' ELSE 'false' END AS disqualified,
      ${reasons} AS reasons FROM scored) TO '/dev/stdout' (FORMAT csv, HEADER true)`);
}

main().catch((e) => {
  process.stderr.write(`score-duckdb: ${e.message}\n`);
  process.exit(1);
});
