/* SPDX-License-Identifier: MIT */
/* leadsift.h - the leadsift engine: load negative-persona rules, bind them to a
 * CSV header, score lead rows, and read and write CSV faithfully. */
#ifndef LEADSIFT_H
#define LEADSIFT_H

/*
 * Ownership, once for the whole header:
 * - Every ls_x_new / ls_x_open has a matching ls_x_free that accepts NULL.
 * - Pointers passed in are borrowed unless a comment says otherwise; `const`
 *   pointers returned are owned by the object they came from and stay valid
 *   until the next call on that object or its free, as each function says.
 * - Functions that can fail return an ls_status and, when given a non-NULL
 *   ls_error, fill it; release it with ls_error_clear().
 * - The library never prints and never exits.
 * - Strings from CSV are (pointer, length) pairs: cells may hold NUL bytes and
 *   invalid UTF-8 and are passed through untouched.
 *
 * Process-wide state, which an embedder should know about:
 * - Loading rules (ls_ruleset_load*) installs cJSON's allocation hooks
 *   (cJSON_InitHooks: malloc and free, with a thread-local flag to tell an
 *   allocation failure from a syntax error), replacing any the embedder set.
 *   A program with its own cJSON hooks sets them again after loading rules.
 * - The process's locale is never read or set, so setlocale() in the
 *   embedder changes no result. Case folding beyond ASCII and regular
 *   expressions over UTF-8 use glibc's C.UTF-8 locale, made once
 *   (newlocale) and made the calling thread's locale (uselocale) only
 *   around regcomp and regexec (and iconv, whose transliteration follows
 *   it). Where it is not installed, case folding is ASCII only and "." in
 *   a regular expression matches a byte.
 * - Loading rules reads the local date (localtime_r, so the TZ variable)
 *   for "today", unless ls_ruleset_set_today fixes it afterwards.
 * - ls_csv_set_fast_path (a test switch) applies to every reader opened
 *   after it.
 * - No signal handler is installed and no other environment variable read;
 *   threads are made only by ls_score_csv, and joined before it returns.
 * - Objects are not locked: one object is used by one thread at a time,
 *   except an ls_ruleset, which many engines and threads may share once
 *   loaded (its setters are not for use while engines score).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with its internal symbols hidden; what this header
 * declares is what it exports. */
#pragma GCC visibility push(default)

#define LS_VERSION "0.1.0"

typedef enum ls_status {
	LS_OK = 0,
	LS_DONE,        /* no more rows (not an error) */
	LS_ERR_NOMEM,   /* an allocation failed */
	LS_ERR_IO,      /* reading or writing failed; errno is kept in ls_error */
	LS_ERR_JSON,    /* a rule file is not valid JSON */
	LS_ERR_RULES,   /* a rule file is valid JSON but breaks the format */
	LS_ERR_CSV,     /* the input is not well-formed CSV */
	LS_ERR_FIELDS,  /* a record's field count differs from the header's; reading can go on */
	LS_ERR_HEADER,  /* the header does not fit the rules or the options */
	LS_ERR_USAGE,   /* the caller passed an invalid argument */
	LS_ERR_CANCELLED /* a progress callback stopped the run (ls_score_csv) */
} ls_status;

/* A short, static description of a status. Never NULL. */
const char *ls_strerror(ls_status status);

/* Where and why something failed. All members are optional: file is NULL,
 * line and column 0 when unknown. */
typedef struct ls_error {
	ls_status status;
	char *message;   /* one line, no trailing newline; owned, freed by ls_error_clear */
	char *file;      /* owned copy of the file name */
	unsigned long line;
	unsigned long column;
	int sys_errno;   /* errno of a failed system call, else 0 */
} ls_error;

/* Frees the strings an ls_error holds and zeroes it. Accepts NULL. */
void ls_error_clear(ls_error *err);

/* Sets err (if not NULL; any earlier content is freed) to status, a copy of
 * file (may be NULL), line and column (0: unknown) and the printf-style
 * message, and returns status, so that callers can write
 * `return ls_error_set(err, LS_ERR_CSV, file, line, 0, "...")`. If the
 * report cannot be made whole, err holds LS_ERR_NOMEM, which is returned:
 * an error is never reported with a part missing. */
ls_status ls_error_set(ls_error *err, ls_status status, const char *file, unsigned long line,
                       unsigned long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Sets err to status with the message "MESSAGE: strerror(errnum)" and
 * sys_errno = errnum, for a failed system call; ENOMEM is reported as
 * LS_ERR_NOMEM whatever status says. Returns the status set. */
ls_status ls_error_set_errno(ls_error *err, ls_status status, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A cell of a CSV row: bytes, not a C string. */
typedef struct ls_cell {
	const char *ptr;
	size_t len;
} ls_cell;

/* Reads the whole file at path into *text (NUL-terminated, freed by the
 * caller with free()) and its length into *len. A file of more than max
 * bytes (0: no limit) is refused with LS_ERR_USAGE; a file that cannot be
 * opened or read, with LS_ERR_IO. */
ls_status ls_read_file(const char *path, size_t max, char **text, size_t *len, ls_error *err);

/* The length of the valid UTF-8 character at text (at most n bytes), or 0
 * when there is none there (an invalid or cut sequence, or a NUL). */
size_t ls_utf8_length(const char *text, size_t n);

/* A NUL-terminated copy of len bytes with each byte that begins no valid
 * UTF-8 character (a NUL too) as U+FFFD: text fit for JSON or a terminal.
 * Freed by the caller with free(); NULL when out of memory. */
char *ls_utf8_copy(const char *text, size_t len);

/* A cell without the white space around it (blanks, tabs, CR, LF, VT, FF):
 * how rules read every cell. */
ls_cell ls_cell_trim(ls_cell cell);
/* Whether the cell, trimmed, is `text`, ignoring case (of every letter,
 * not just A-Z): how rules compare text unless case_sensitive is set. */
bool ls_cell_is(ls_cell cell, const char *text);

/* Scores and other rule values are fixed-point numbers in millionths, so that
 * sums of fractional deductions are exact: 72.5 is 72500000. */
#define LS_FIXED_ONE INT64_C(1000000)
typedef int64_t ls_fixed;

/* Writes `value` in its shortest exact decimal form ("65", "72.5", "-0.25")
 * into buf, which must hold LS_FIXED_BUFSIZE bytes. Returns the length. */
#define LS_FIXED_BUFSIZE 32
size_t ls_fixed_format(ls_fixed value, char *buf);

/* Parses a plain decimal ("72.5", "-3", "1e2" is not accepted) with at most
 * six decimal places and a magnitude of at most 1e9. Returns false if invalid. */
bool ls_fixed_parse(const char *text, ls_fixed *out);

/* Reads a cell the way CRM exports write numbers: "1200", "1,200",
 * "$1,200.50", " 12 ", "1.5k", "2M", "-3", "20%", and bands "11-50",
 * "10,001+", "1 - 10" (their lower bound). Returns LS_NUM_OK and sets *out,
 * LS_NUM_EMPTY for a blank cell or LS_NUM_INVALID for anything else. */
typedef enum ls_num_kind { LS_NUM_OK, LS_NUM_EMPTY, LS_NUM_INVALID } ls_num_kind;
ls_num_kind ls_number_parse(const char *ptr, size_t len, double *out);

/* ---- Rules ------------------------------------------------------------ */

/* A loaded, validated set of personas plus the policy (base, threshold,
 * field aliases). Immutable once loaded; may be shared by many engines. */
typedef struct ls_ruleset ls_ruleset;

/* Loads persona files and directories in the order given. A directory loads
 * every "*.json" in it in byte-wise name order; its "policy.json" is the
 * policy, not a persona. At most one policy may be loaded. On success
 * *out owns the rules (free with ls_ruleset_free). On failure *out is NULL
 * and err names the file, line, column and JSON path. */
ls_status ls_ruleset_load(ls_ruleset **out, const char *const *paths, size_t npaths,
                          ls_error *err);

/* Loads one persona, and optionally a policy, from memory. `name` is used in
 * messages. policy_json may be NULL. For tests and fuzzers: "value_file"
 * lists and the policy's "lookups" are refused (LS_ERR_RULES), there being
 * no rule file to find them next to. */
ls_status ls_ruleset_load_buffers(ls_ruleset **out, const char *name,
                                  const char *persona_json, size_t persona_len,
                                  const char *policy_json, size_t policy_len,
                                  ls_error *err);

void ls_ruleset_free(ls_ruleset *rs);

/* Policy values; the overrides replace them for every engine made afterwards. */
ls_fixed ls_ruleset_base(const ls_ruleset *rs);
ls_fixed ls_ruleset_threshold(const ls_ruleset *rs);
void ls_ruleset_set_base(ls_ruleset *rs, ls_fixed base);
void ls_ruleset_set_threshold(ls_ruleset *rs, ls_fixed threshold);

/* Reads a calendar date written YYYY-MM-DD as days since 1970-01-01.
 * Returns false if it is not a valid date in that form. */
bool ls_date_parse(const char *text, int64_t *days);
/* Writes days since 1970-01-01 as YYYY-MM-DD into buf, which must hold
 * LS_DATE_BUFSIZE bytes. Returns the length. */
#define LS_DATE_BUFSIZE 24
size_t ls_date_format(int64_t days, char *buf);
/* The year, month (1-12) and day (1-31) of days since 1970-01-01. */
void ls_date_civil(int64_t days, int64_t *year, unsigned *month, unsigned *day);

/* Fixes "today" (days since 1970-01-01) for older_than and newer_than and
 * for allow-list expiry; by default it is the local date when the rules
 * were loaded. */
void ls_ruleset_set_today(ls_ruleset *rs, int64_t today);
int64_t ls_ruleset_today(const ls_ruleset *rs);

/* The allow-list (allow.json): leads an active entry matches are never
 * disqualified. An entry whose "until" date is before today is inactive. */
size_t ls_ruleset_allow_count(const ls_ruleset *rs);
const char *ls_ruleset_allow_id(const ls_ruleset *rs, size_t i);
bool ls_ruleset_allow_active(const ls_ruleset *rs, size_t i);

/* Counts and names, for summaries. Indexes run in load order. */
size_t ls_ruleset_persona_count(const ls_ruleset *rs);
const char *ls_ruleset_persona_id(const ls_ruleset *rs, size_t persona);
size_t ls_ruleset_rule_count(const ls_ruleset *rs, size_t persona);
const char *ls_ruleset_rule_id(const ls_ruleset *rs, size_t persona, size_t rule);

/* One difference between two rule sets, as a reviewer reads a change:
 * a policy setting, a persona (added, removed, or its cap), a rule or an
 * allow-list entry; personas, rules and entries matched by id. */
typedef struct ls_rule_change {
	const char *kind;        /* "policy", "persona", "rule" or "allow" */
	const char *persona;     /* the persona's id; NULL for policy and allow */
	const char *id;          /* the rule's or entry's id; NULL for policy and persona */
	const char *field;       /* what changed: base, threshold, require, max_deduct,
	                          * deduct, disqualify, when, reason, until; NULL
	                          * when the whole persona, rule or entry was
	                          * added or removed */
	char *old_value;         /* as text (conditions as canonical JSON); NULL
	                          * when added */
	char *new_value;         /* NULL when removed */
} ls_rule_change;

/* Every difference from a to b: the policy's, then by persona in a's order
 * (its cap, its rules, rules only b has), personas only b has, allow-list
 * entries. The strings point into a and b, which must outlive the list. */
ls_status ls_ruleset_compare(const ls_ruleset *a, const ls_ruleset *b, ls_rule_change **out,
                             size_t *n);
void ls_rule_changes_free(ls_rule_change *changes, size_t n);

/* Where the policy and the allow-list came from; NULL when none was loaded. */
const char *ls_ruleset_policy_file(const ls_ruleset *rs);
const char *ls_ruleset_allow_file(const ls_ruleset *rs);

/* One persona, rule or allow-list entry in full, for listings. The strings
 * are owned by rs. */
typedef struct ls_persona_info {
	const char *id;
	const char *file;        /* the file it was loaded from */
	size_t nrules;
	bool capped;             /* max_deduct was given */
	ls_fixed max_deduct;
} ls_persona_info;
typedef struct ls_rule_info {
	const char *id;
	const char *reason;
	ls_fixed deduct;         /* 0 when the rule only disqualifies */
	bool disqualify;
} ls_rule_info;
typedef struct ls_allow_info {
	const char *id;
	const char *reason;
	bool has_until;
	int64_t until;           /* last day it applies (days since 1970-01-01) */
	bool active;             /* not expired as of ls_ruleset_today */
} ls_allow_info;
void ls_ruleset_persona_info(const ls_ruleset *rs, size_t persona, ls_persona_info *out);
void ls_ruleset_rule_info(const ls_ruleset *rs, size_t persona, size_t rule, ls_rule_info *out);
void ls_ruleset_allow_info(const ls_ruleset *rs, size_t entry, ls_allow_info *out);

/* The lists of values rules read from text files ("value_file"), each
 * once, in order of first use: the file as resolved against the rule file
 * naming it, and how many values it holds. */
typedef struct ls_list_info {
	const char *file;
	size_t values;
	size_t duplicates;       /* values listed before it, ignoring case */
	size_t blanked;          /* values with blanks around them */
} ls_list_info;
size_t ls_ruleset_list_count(const ls_ruleset *rs);
void ls_ruleset_list_info(const ls_ruleset *rs, size_t list, ls_list_info *out);

/* The lookup tables of the policy's "lookups", as loaded: rules read their
 * columns as fields "NAME.COLUMN", from the row whose key column equals the
 * lead's match field (trimmed, ignoring case; with by_domain, the part of
 * it after the '@'). */
typedef struct ls_lookup_info {
	const char *name;
	const char *file;        /* resolved against the policy file */
	const char *key;         /* the key column's header name */
	const char *match;       /* the field of the leads it matches */
	bool by_domain;
	bool loaded;             /* some rule reads a column; else the table is
	                          * not read, and rows is 0 */
	size_t rows;
	size_t keyless;          /* rows whose key is empty or a missing value */
	size_t duplicates;       /* rows left out for an earlier row's key
	                          * ("duplicates": "first") */
	const ls_cell *header;   /* the table's column names (UTF-8) */
	size_t ncols;
} ls_lookup_info;
size_t ls_ruleset_lookup_count(const ls_ruleset *rs);
void ls_ruleset_lookup_info(const ls_ruleset *rs, size_t lookup, ls_lookup_info *out);
/* Whether the field is a lookup table's column; then *lookup is the table
 * and *column the column it takes in the table's header. */
bool ls_ruleset_field_lookup(const ls_ruleset *rs, size_t field, size_t *lookup, size_t *column);

/* The field names the rules and allow-list entries use, in order of first use. */
size_t ls_ruleset_field_count(const ls_ruleset *rs);
/* How many missing values (placeholders read as empty) apply to the field:
 * its own list in the policy's "fields", else the policy's missing_values. */
size_t ls_ruleset_field_missing_values(const ls_ruleset *rs, size_t field);
const char *ls_ruleset_field_name(const ls_ruleset *rs, size_t field);

/* Finds a column the way rule fields are bound: the exact name, then one
 * ignoring case and punctuation, then the policy's aliases for `name`.
 * Returns LS_OK with *column set, LS_DONE when no column matches, or
 * LS_ERR_HEADER when more than one does. */
ls_status ls_ruleset_find_column(const ls_ruleset *rs, const char *name, const ls_cell *header,
                                 size_t ncols, size_t *column);

/* The policy's "require" condition as written (compact JSON): what a record
 * must satisfy to be a lead at all; NULL when the policy has none. */
const char *ls_ruleset_require(const ls_ruleset *rs);

/* The policy's "encoding": what the leads are written in, for
 * ls_reader_set_encoding; NULL when the policy names none. */
const char *ls_ruleset_encoding(const ls_ruleset *rs);

/* SHA-256 of the loaded rules in canonical form (keys sorted, no white
 * space), as 64 lowercase hex digits. Owned by rs. */
const char *ls_ruleset_fingerprint(const ls_ruleset *rs);

/* ---- Lint: valid rules that are probably not what was meant ----------- */

/* One finding of ls_lint_run. Codes: "identical-rules", "never-matches",
 * "between-reversed", "value-blanks", "persona-never-fires",
 * "threshold-unreachable", "threshold-always", "expired-allow",
 * "list-duplicates", "list-blanks" (a value_file's repeated values and
 * values with blanks around them; file is "FILE:LINE" of the first),
 * "lookup-duplicates" (a lookup table's repeated keys, the first row used),
 * and with a
 * header "missing-field" and
 * "ambiguous-field" (error: a scoring run on that header would fail). */
typedef struct ls_finding {
	const char *code;
	const char *file;      /* the file it concerns, or NULL */
	const char *message;   /* one line */
	bool error;
} ls_finding;

typedef struct ls_lint ls_lint;

/* Lints the rules and, when header is not NULL, checks that the header
 * (named `source` in messages) supplies every field. Findings come in a
 * fixed order: header fields, identical rules, the policy's require, rules
 * that never match (and values with blanks around them) persona by persona
 * with the threshold after them, then the allow-list. */
ls_status ls_lint_run(ls_lint **out, const ls_ruleset *rs, const ls_cell *header, size_t ncols,
                      const char *source, ls_error *err);
size_t ls_lint_count(const ls_lint *l);
const ls_finding *ls_lint_get(const ls_lint *l, size_t i);
void ls_lint_free(ls_lint *l);

/* ---- Engine: rules bound to one header ------------------------------- */

typedef struct ls_engine ls_engine;

/* Resolves every field the rules use to a column of `header` (exact name,
 * then ignoring case and punctuation, then the policy's aliases). Fails with
 * LS_ERR_HEADER naming the persona, rule and field, the header's columns and
 * the closest one, when a field is missing or ambiguous. `rs` must outlive
 * the engine. `source` names the CSV in messages (may be NULL). */
ls_status ls_engine_new(ls_engine **out, const ls_ruleset *rs, const ls_cell *header,
                        size_t ncols, const char *source, ls_error *err);
/* ls_engine_new for a header read by ls_reader_next (an ls_row, below): an
 * error that names no line of its own is placed at the header's. */
struct ls_row;
ls_status ls_engine_bind(ls_engine **out, const ls_ruleset *rs, const struct ls_row *header,
                         const char *source, ls_error *err);
void ls_engine_free(ls_engine *e);

/* The verdict on one row. reasons points into the engine and is valid until
 * the next ls_engine_score or ls_engine_free. */
typedef struct ls_result {
	ls_fixed score;
	bool disqualified;
	const char *reasons;  /* "persona/rule: reason; ..." or "", NUL-terminated */
	size_t reasons_len;
	size_t matched;       /* number of rules that matched */
	bool allowed;         /* an active allow-list entry matched */
	bool not_lead;        /* the row fails the policy's require: it is not a
	                       * lead and was not scored (score 0, not disqualified,
	                       * reasons "not a lead: ...") */
} ls_result;

/* Scores a row of exactly ncols cells (the header's count). Updates the
 * engine's statistics; a row that is not a lead (ls_result.not_lead)
 * counts in none of them. Fails only with LS_ERR_USAGE (wrong cell count) or
 * LS_ERR_NOMEM. */
ls_status ls_engine_score(ls_engine *e, const ls_cell *cells, size_t ncells, ls_result *res);

/* Statistics accumulated by ls_engine_score. */
uint64_t ls_engine_rows_scored(const ls_engine *e);
uint64_t ls_engine_rows_disqualified(const ls_engine *e);
uint64_t ls_engine_persona_hits(const ls_engine *e, size_t persona);
uint64_t ls_engine_rule_hits(const ls_engine *e, size_t persona, size_t rule);
uint64_t ls_engine_allow_hits(const ls_engine *e, size_t entry);
/* Whether the rule matched the row last scored. */
bool ls_engine_rule_matched(const ls_engine *e, size_t persona, size_t rule);
/* Fields read as numbers (numeric operators) or as dates (date operators),
 * and how many non-empty cells of each could not be read so. */
typedef enum ls_field_kind { LS_FIELD_NUMBER, LS_FIELD_DATE } ls_field_kind;
size_t ls_engine_typed_field_count(const ls_engine *e, ls_field_kind kind);
const char *ls_engine_typed_field_name(const ls_engine *e, ls_field_kind kind, size_t i);
const char *ls_engine_typed_field_column(const ls_engine *e, ls_field_kind kind, size_t i);
/* Per field of the rule set (ls_ruleset_field_name): the header column it
 * is bound to, and how many of its cells were a missing value (policy
 * missing_values, such as "Select" or "N/A") and so read as empty. */
const char *ls_engine_field_column(const ls_engine *e, size_t field);
uint64_t ls_engine_missing_values(const ls_engine *e, size_t field);
uint64_t ls_engine_typed_field_invalid(const ls_engine *e, ls_field_kind kind, size_t i);
/* The non-empty cells of the field, and the first of those that could not
 * be read: at most 40 bytes of it, whole UTF-8 characters, any other byte
 * (and a control character) as '?'; NULL while every cell could be read. */
uint64_t ls_engine_typed_field_cells(const ls_engine *e, ls_field_kind kind, size_t i);
const char *ls_engine_typed_field_example(const ls_engine *e, ls_field_kind kind, size_t i);

/* ---- Explain: how one row was scored, condition by condition -------- */

typedef enum ls_node_kind { LS_NODE_ALL, LS_NODE_ANY, LS_NODE_NOT, LS_NODE_LEAF } ls_node_kind;

/* How a leaf read its cell. */
typedef enum ls_read_as {
	LS_READ_TEXT,        /* compared as text */
	LS_READ_EMPTY,       /* blank after trimming */
	LS_READ_NUMBER,      /* a number */
	LS_READ_BAND,        /* a band such as "11-50", read as its lower bound */
	LS_READ_NOT_NUMBER,  /* a numeric operator met a cell that is no number */
	LS_READ_DATE,        /* a date */
	LS_READ_NOT_DATE     /* a date operator met a cell that is no date */
} ls_read_as;

/* A short name for ls_read_as: "text", "empty", "number", "band lower
 * bound", "not a number", "date", "not a date". */
const char *ls_read_as_name(ls_read_as read);

/* Reads a cell as a date the way rules read dates (ISO 8601 dates and
 * date-times, month names, and NN/NN/YYYY in the policy's date_format):
 * LS_READ_DATE with *days (since 1970-01-01); LS_READ_EMPTY when it is
 * blank or one of field's missing values; else LS_READ_NOT_DATE. */
ls_read_as ls_ruleset_read_date(const ls_ruleset *rs, const char *field, ls_cell cell,
                                int64_t *days);

/* One node of a condition, in depth-first order. Every node is evaluated,
 * even where scoring stops early, so the trace shows every leaf. */
typedef struct ls_trace_node {
	ls_node_kind kind;
	unsigned depth;          /* 0 for the top of the condition */
	bool result;
	/* Leaves only: */
	const char *field;       /* as the rule names it */
	const char *column;      /* the header column it is bound to */
	ls_cell cell;            /* the cell as it is in the row (untrimmed) */
	ls_read_as read;
	double number;           /* LS_READ_NUMBER, LS_READ_BAND */
	int64_t day;             /* LS_READ_DATE: days since 1970-01-01 */
	const char *op;
	const char *value;       /* the operand as JSON text; NULL for empty, not_empty */
	bool case_sensitive;
	const char *lookup;      /* the lookup table the field is a column of, or NULL */
	unsigned long lookup_line; /* its row's line in the table; 0: the lead's key
	                          * has no row, and the cell reads empty */
} ls_trace_node;

/* A lookup table some rule reads, as one lead reads it: the lead's key, and
 * the row it found. */
typedef struct ls_trace_lookup {
	const char *name;
	const char *file;
	ls_cell key;             /* the match field's cell as matched (trimmed, the
	                          * domain part for by_domain); empty: no key */
	unsigned long line;      /* the row's line in the table; 0: no row */
} ls_trace_lookup;

/* A rule, or an allow-list entry, with its condition. */
typedef struct ls_trace_rule {
	const char *id;
	const char *reason;
	ls_fixed deduct;
	bool disqualify;
	bool active;             /* allow-list entries: not expired (rules: true) */
	bool matched;
	const ls_trace_node *nodes;
	size_t nnodes;
} ls_trace_rule;

typedef struct ls_trace_persona {
	const char *id;
	const ls_trace_rule *rules;
	size_t nrules;
	ls_fixed matched_sum;    /* the deductions of its matched rules */
	ls_fixed deducted;       /* what counts: matched_sum capped at max_deduct */
	bool capped;
	ls_fixed max_deduct;
} ls_trace_persona;

typedef struct ls_explanation {
	ls_result result;        /* as ls_engine_score gives it */
	const ls_trace_rule *require; /* the policy's require (id "require", matched:
	                          * the row is a lead), or NULL without one; a row
	                          * that is not a lead has no personas or allow entries */
	ls_fixed base, threshold;
	bool below_threshold;    /* score < threshold */
	const ls_trace_persona *personas;
	size_t npersonas;
	const ls_trace_rule *allow;
	size_t nallow;
	const ls_trace_lookup *lookups; /* one per lookup table a rule reads */
	size_t nlookups;
} ls_explanation;

/* Scores a row (it counts in the engine's statistics) and traces every
 * condition. The explanation points into the engine, its rules and `cells`:
 * it is valid until the engine's next call and while cells are. */
ls_status ls_engine_explain(ls_engine *e, const ls_cell *cells, size_t ncells,
                            ls_explanation **out);
void ls_explanation_free(ls_explanation *x);

/* ---- Backtest: rules against leads whose outcome is known ------------ */

typedef struct ls_backtest ls_backtest;

/* An accumulator for rows scored by engines of rs. Scores are counted in
 * bins bin_width wide (e.g. 10 * LS_FIXED_ONE) for the distribution. */
ls_status ls_backtest_new(ls_backtest **out, const ls_ruleset *rs, ls_fixed bin_width);
void ls_backtest_free(ls_backtest *bt);

/* Counts the row e scored last (res is its result) with its outcome and,
 * when has_value, its value (e.g. the deal amount). A row that is not a
 * lead (res->not_lead) is only counted as such: its outcome is ignored. */
ls_status ls_backtest_add(ls_backtest *bt, const ls_engine *e, const ls_result *res,
                          bool converted, bool has_value, double value);

typedef struct ls_backtest_totals {
	uint64_t leads, converted, disqualified;
	uint64_t not_leads;          /* rows the policy's require turned away */
	uint64_t matrix[2][2];       /* [disqualified][converted] */
	double base_rate;            /* converted / leads (0 when no leads) */
	double base_low, base_high;  /* its 95% Wilson interval (0, 0 when no leads) */
	uint64_t valued;             /* leads given a value */
	double converted_value;      /* total value of converted leads */
	double missed_value;         /* ... of converted leads disqualified */
	uint64_t missed_unvalued;    /* converted, disqualified, without a value */
} ls_backtest_totals;
void ls_backtest_get_totals(const ls_backtest *bt, ls_backtest_totals *out);

/* The 95% Wilson score interval of the proportion x / n (both 0 when n
 * is 0): what every rate of a backtest carries. */
void ls_wilson_interval(uint64_t x, uint64_t n, double *low, double *high);

/* After the last row, before the figures are read: decides the verdicts,
 * which compare every rule and persona with each other (the false
 * discovery rate is held over all of them). */
ls_status ls_backtest_finish(ls_backtest *bt);

typedef enum ls_verdict {
	LS_VERDICT_NONE,         /* nothing the evidence supports, or nothing to test */
	LS_VERDICT_TOO_FEW,      /* too few leads to tell */
	LS_VERDICT_COSTLY,       /* the leads it alone disqualifies convert above the
	                          * base rate: removing it keeps good deals */
	LS_VERDICT_DEAD_WEIGHT,  /* its hits convert below the base rate but it
	                          * disqualifies no lead alone: it changes no verdict */
} ls_verdict;

/* Hits of a persona (any of its rules matched) or a rule, and what it is
 * responsible for: the leads it alone disqualifies, which removing it
 * (everything else, caps, threshold and allow-list, as it is) would keep.
 * Intervals are 95% Wilson score intervals; a lift's is its rate's over
 * the base rate. The test is the score test those intervals invert: of
 * the alone rate against the base rate when it disqualifies leads alone,
 * else of the hits' rate; its p-value is adjusted over every rule and
 * persona tested (Benjamini-Hochberg), a verdict needing q <= 0.05. A
 * test needs 5 conversions and 5 others expected at the base rate. */
typedef struct ls_backtest_hits {
	uint64_t hits;
	uint64_t converted;          /* hits that converted */
	double rate, rate_low, rate_high; /* converted / hits; all 0 without hits */
	bool has_lift;               /* false without hits or conversions */
	double lift, lift_low, lift_high; /* rate / base rate */
	uint64_t alone;              /* leads kept were it removed */
	uint64_t alone_converted;    /* ... of which converted */
	double alone_rate, alone_low, alone_high; /* all 0 when alone is 0 */
	bool tested;                 /* p_value and q_value hold a test's result */
	double p_value, q_value;     /* two-sided; q adjusted for the false discovery rate */
	ls_verdict verdict;
} ls_backtest_hits;
void ls_backtest_persona(const ls_backtest *bt, size_t persona, ls_backtest_hits *out);
void ls_backtest_rule(const ls_backtest *bt, size_t persona, size_t rule, ls_backtest_hits *out);

/* The score distribution: bins in ascending order, each [low, low + width). */
size_t ls_backtest_bin_count(const ls_backtest *bt);
void ls_backtest_bin(const ls_backtest *bt, size_t i, ls_fixed *low, uint64_t *converted,
                     uint64_t *not_converted);
ls_fixed ls_backtest_bin_width(const ls_backtest *bt);

/* ---- Leads joined with their lookup tables ---------------------------- */

/* A lead's columns, then the columns of each lookup table its rules read
 * (all but the table's key), named "TABLE.COLUMN" as rules name them, from
 * the row the lead's key finds (empty cells when none): for tools that look
 * at every column, such as discover. The match fields are found in the
 * header as rule fields are (LS_ERR_HEADER, naming `source`, when one is
 * not). The join points into rs, which must outlive it. */
typedef struct ls_join ls_join;
ls_status ls_join_new(ls_join **out, const ls_ruleset *rs, const ls_cell *header, size_t ncols,
                      const char *source, ls_error *err);
void ls_join_free(ls_join *j);
/* The joined header and its width. */
size_t ls_join_columns(const ls_join *j);
const ls_cell *ls_join_header(const ls_join *j);
/* The lead's cells (as text, the header's width) joined: valid until the
 * next call. LS_OK or LS_ERR_NOMEM. */
ls_status ls_join_row(ls_join *j, const ls_cell *cells, const ls_cell **out);

/* ---- Discover: segments of a history that rarely convert ------------- */

typedef struct ls_discover ls_discover;

/* The distinct values a column keeps by default (LS_DISCOVER_MAX_VALUES);
 * past it, text values are counted as other and numbers coarsened. */
#define LS_DISCOVER_MAX_VALUES 1000

/* A history with ncols columns named by header; max_values 0 for the
 * default. Rows are then added with their outcome. */
ls_status ls_discover_new(ls_discover **out, const ls_ruleset *rs, const ls_cell *header,
                          size_t ncols, size_t max_values);
void ls_discover_free(ls_discover *d);
/* Leaves a column out (--exclude: filled in after the outcome). */
void ls_discover_exclude(ls_discover *d, size_t column);
/* Counts a lead: its cells (decoded) and whether it converted. */
ls_status ls_discover_add(ls_discover *d, const ls_cell *cells, size_t ncells, bool converted);
/* After the last lead: every candidate segment tested against the base
 * rate (the score test, Benjamini-Hochberg over all of them), best first. */
ls_status ls_discover_finish(ls_discover *d);

typedef struct ls_segment {
	const char *column;      /* the header's name */
	const char *op;          /* "eq", "empty", "lt", "gte", "between" (a decile
	                          * bin, written as all of gte and lt), "before",
	                          * "after", "ends_with" (an e-mail domain,
	                          * "@example.com") or "all" (a pair) */
	char *value;             /* eq: the value as first written; before, after:
	                          * the date, YYYY-MM-DD */
	double number;           /* lt, gte: the cut; between: the low end; before,
	                          * after: the day number */
	double upper;            /* between: the next cut (the bin is [number, upper)) */
	const char *const *values; /* ends_with a list (free-mail providers), NULL-ended */
	bool negated;            /* not empty and not ends_with values: company domains */
	char *condition;         /* the condition in the persona format, compact JSON */
	uint64_t leads, converted;
	double rate, low, high;  /* converted / leads, its 95% Wilson interval */
	double lift;             /* rate / base rate */
	bool tested;             /* enough leads for the test */
	double p_value, q_value;
	bool found;              /* converts below the base rate, q <= 0.05 */
	bool nested;             /* not found: a range holding a narrower one found,
	                          * the rest of it not surely below the base rate */
	bool pair;               /* op "all": two segments found, both at once */
	size_t part[2];          /* a pair's parts (ls_discover_part) */
	bool held;               /* evaluated on held-out leads (the test_ figures) */
	uint64_t test_leads, test_converted;
	double test_rate, test_low, test_high, test_lift; /* lift: over the held-out base rate */
	bool holds;              /* held out, it still converts surely below that base rate */
} ls_segment;
size_t ls_discover_segment_count(const ls_discover *d);
const ls_segment *ls_discover_segment(const ls_discover *d, size_t i);
/* Candidates tested: the m of the false discovery rate. */
size_t ls_discover_tried(const ls_discover *d);
/* Pass two, after ls_discover_finish, over the same input read again: the
 * segments found (at most `top` of them paired) and every pair of those
 * become rules the engine evaluates on each lead. Leads held out of pass
 * one are added here only; with none held out, pass two adds the pairs. */
ls_status ls_discover_probe(ls_discover *d, const ls_cell *header, size_t ncols, size_t top,
                            ls_error *err);
/* Counts a lead of the second reading; held_out: it was not in pass one. */
ls_status ls_discover_add_again(ls_discover *d, const ls_cell *cells, size_t ncells,
                                bool converted, bool held_out);
/* After the second reading: pairs tested with the singles (one false
 * discovery family), held-out figures set, best first again. */
ls_status ls_discover_finish_again(ls_discover *d);
/* One part of a pair. */
const ls_segment *ls_discover_part(const ls_discover *d, const ls_segment *pair, size_t k);
/* The held-out leads, and how many converted (0, 0 without any). */
void ls_discover_held_out(const ls_discover *d, uint64_t *leads, uint64_t *converted);

/* The rule set it was made with. */
const ls_ruleset *ls_discover_rules(const ls_discover *d);
/* The leads added, and how many converted. */
void ls_discover_totals(const ls_discover *d, uint64_t *leads, uint64_t *converted);

typedef enum ls_discover_column_kind {
	LS_DISCOVER_TEXT,        /* each value a candidate */
	LS_DISCOVER_NUMBERS,     /* cut at its deciles */
	LS_DISCOVER_IDENTIFIES,  /* almost every value distinct: an id, a name */
	LS_DISCOVER_LEAKS,       /* tells the outcome almost perfectly */
	LS_DISCOVER_EXCLUDED,    /* left out by the caller */
	LS_DISCOVER_DATES,       /* cut at its deciles: before, after */
	LS_DISCOVER_EMAILS       /* by domain, and free-mail against company domains */
} ls_discover_column_kind;
typedef struct ls_discover_column_info {
	const char *name;
	ls_discover_column_kind kind;
	size_t distinct;         /* distinct values kept */
	bool capped;             /* more than the cap: text counted as other,
	                          * or numbers coarsened */
	int digits;              /* numbers: significant digits kept (0: all) */
} ls_discover_column_info;
void ls_discover_column(const ls_discover *d, size_t column, ls_discover_column_info *out);

/* ---- Run summary ------------------------------------------------------- */

/* What a scoring run counted (ls_score_csv fills it in). */
typedef struct ls_score_counts {
	uint64_t rows_read;       /* data records read: leads and rows_rejected (not the
	                           * header, blank lines, empty records or not leads) */
	uint64_t rows_written;    /* data records written */
	uint64_t rows_filtered;   /* data records left out (ls_score_options.only) */
	uint64_t rows_rejected;   /* data records set aside (ls_score_options.rejects) */
	uint64_t blank_lines;     /* blank lines skipped */
	uint64_t empty_records;   /* records of empty fields only, skipped: not leads */
	uint64_t not_leads;       /* records failing the policy's require: not scored,
	                           * not written (set aside with the rejects) */
	uint64_t bytes;           /* input bytes consumed */
	uint64_t non_utf8_records; /* records not valid UTF-8, the header too, when the
	                           * reader has no encoding (ls_reader_non_utf8) */
	unsigned long non_utf8_line; /* the line of the first of them; 0: none */
} ls_score_counts;

/* What the caller knows about a run that the engine does not. */
typedef struct ls_run_info {
	const char *input;        /* input name, "-" for stdin */
	const char *encoding;     /* what the input was read as; NULL: UTF-8 */
	ls_score_counts counts;
	double elapsed_seconds;
	int exit_code;
	const char *error;        /* NULL when the run succeeded */
} ls_run_info;

/* The run summary as a JSON text ending in a newline: counts, hits per
 * persona and rule, non-numeric cells per field, the rules' fingerprint.
 * rs and e may be NULL when the run failed before they existed. Returns a
 * string the caller frees with free(), or NULL when out of memory. */
char *ls_stats_json(const ls_ruleset *rs, const ls_engine *e, const ls_run_info *info);

/* ---- CSV reading --------------------------------------------------------- */

typedef enum ls_line_end { LS_EOL_NONE, LS_EOL_LF, LS_EOL_CRLF } ls_line_end;

typedef struct ls_row {
	const ls_cell *cells;   /* the input's bytes, for writing them back */
	size_t ncells;
	unsigned long line;     /* input line where the record starts (1-based) */
	ls_line_end eol;        /* how the record ended in the input */
	const bool *quoted;     /* per cell: whether it was quoted in the input
	                         * (if not, it holds no delimiter, quote, CR or LF) */
	const ls_cell *text;    /* the cells as UTF-8 text, for matching: the same
	                         * as cells unless the reader has an encoding
	                         * (ls_reader_set_encoding); in a row the caller
	                         * made, NULL means cells */
} ls_row;

typedef struct ls_reader ls_reader;

/* Reads from a file descriptor (not closed by the reader). `name` is used
 * in messages ("-" or NULL reads as "<stdin>"). delim is the field
 * delimiter, e.g. ',', or 0 to find it (ls_reader_delimiter). */
ls_status ls_reader_open_fd(ls_reader **out, int fd, const char *name, char delim,
                            ls_error *err);
/* Reads from memory; data must outlive the reader. */
ls_status ls_reader_open_mem(ls_reader **out, const void *data, size_t len,
                             const char *name, char delim, ls_error *err);
void ls_reader_free(ls_reader *r);
/* The delimiter the reader splits at: the one given, or for 0 the one of
 * ',', ';', TAB and '|' that splits the first records (up to 20) into the
 * same number of fields, the most; failing that, the one that splits the
 * header most; failing that, ','. Looks at the start of the input if
 * nothing was read yet. */
ls_status ls_reader_delimiter(ls_reader *r, char *delim, ls_error *err);

/* Returns the next record in *row (valid until the next call or free), LS_DONE
 * at the end, or an error: LS_ERR_CSV for malformed input (line and field
 * named), LS_ERR_IO, LS_ERR_NOMEM. The first record is the header. After an
 * error the reader must not be used again except to free it, but for
 * LS_ERR_FIELDS: a record with the wrong field count (row is filled, err
 * says which) after which reading may go on. */
ls_status ls_reader_next(ls_reader *r, ls_row *row, ls_error *err);

/* Reads the input as `encoding`: any name iconv knows for an encoding that
 * writes ASCII as ASCII ("windows-1252", "latin1", "cp932"; not UTF-16
 * or EBCDIC). Each row's text (ls_row.text) is then its cells decoded to
 * UTF-8, a byte sequence the encoding does not define as U+FFFD; its cells
 * stay the input's bytes. "UTF-8" or NULL: the input is UTF-8 (the
 * default). LS_ERR_USAGE, saying why, for an encoding it cannot read.
 * Set it before the first record is read. */
ls_status ls_reader_set_encoding(ls_reader *r, const char *encoding, ls_error *err);
/* Without an encoding set: how many records (the header too) were not
 * valid UTF-8, and in *first_line (may be NULL) the line of the first (0:
 * none), so that a caller can say the input is in some other encoding. */
uint64_t ls_reader_non_utf8(const ls_reader *r, unsigned long *first_line);

/* Refuses (LS_ERR_CSV, naming the line where it began) any record whose
 * input bytes exceed max, so a stray quote cannot make the reader buffer
 * the rest of the input. 0, the default, means no limit. */
#define LS_DEFAULT_MAX_RECORD_BYTES (UINT64_C(64) * 1024 * 1024)
void ls_reader_set_max_record_bytes(ls_reader *r, uint64_t max);

/* A test switch: with false, readers opened afterwards give every record
 * to libcsv, the parser of record. By default (true) a record holding no
 * quote character is split at its delimiters directly, which for such a
 * record is the same parse (fuzz/fuzz_fastpath.c compares the two). Set it
 * before opening readers; it is not synchronised with readers in use. */
void ls_csv_set_fast_path(bool enabled);

/* The last record returned (also by an LS_ERR_FIELDS error) exactly as it
 * appeared in the input, without its line end. */
const char *ls_reader_raw(const ls_reader *r, size_t *len);

/* The row's text (ls_row.text), or its cells when it has none. */
const ls_cell *ls_row_text(const ls_row *row);

/* Whether every cell of the row is empty or white space: the all-empty
 * rows report exports end with are not leads, and are skipped. */
bool ls_row_is_empty(const ls_row *row);

/* Gives the reader its header instead of reading one (--header-line and the
 * chunks of a parallel run): every record it returns is then data, checked
 * against n fields. Copies the names. LS_OK or LS_ERR_NOMEM (the reader
 * then has no header: the next record read is taken as its header). */
ls_status ls_reader_set_header(ls_reader *r, const ls_cell *names, size_t n, ls_error *err);

/* Whether the input began with a UTF-8 byte order mark (stripped from the
 * first cell). Meaningful once the first record has been read. */
bool ls_reader_had_bom(const ls_reader *r);
/* Blank lines skipped between records so far. */
uint64_t ls_reader_blank_lines(const ls_reader *r);
/* Bytes consumed from the input so far. */
uint64_t ls_reader_bytes(const ls_reader *r);

/* ---- CSV writing -------------------------------------------------------- */

typedef struct ls_writer ls_writer;

/* Writes to a file descriptor through a large buffer (fd not closed). On
 * failure *out is NULL. */
ls_status ls_writer_open_fd(ls_writer **out, int fd, const char *name, char delim,
                            ls_error *err);
/* Writes into a growing memory buffer; see ls_writer_mem_data. */
ls_status ls_writer_open_mem(ls_writer **out, char delim, ls_error *err);
void ls_writer_free(ls_writer *w);

/* Appends raw bytes (e.g. a byte order mark). */
ls_status ls_writer_raw(ls_writer *w, const void *data, size_t len, ls_error *err);
/* Appends one field, quoted only if it holds the delimiter, a quote, CR or LF. */
ls_status ls_writer_field(ls_writer *w, const void *data, size_t len, ls_error *err);
/* Writes text fields (ls_writer_text) in `encoding` (as for
 * ls_reader_set_encoding; NULL or "UTF-8": as they are), a character it
 * lacks as its nearest or '?'. LS_ERR_USAGE for an encoding iconv does not
 * know. */
ls_status ls_writer_set_encoding(ls_writer *w, const char *encoding, ls_error *err);
/* Appends one field of UTF-8 text (a reason, a column name), in the
 * writer's encoding; otherwise as ls_writer_field. */
ls_status ls_writer_text(ls_writer *w, const void *text, size_t len, ls_error *err);
/* Ends the current row with the given line end. */
ls_status ls_writer_end_row(ls_writer *w, ls_line_end eol, ls_error *err);
/* Writes out everything buffered. */
ls_status ls_writer_flush(ls_writer *w, ls_error *err);
/* For a memory writer: the bytes written so far (owned by the writer). */
const char *ls_writer_mem_data(const ls_writer *w, size_t *len);

/* ---- Scoring a CSV: the whole pipeline in one call -------------------- */

/* Which scored rows are written. */
typedef enum ls_only { LS_ONLY_ALL, LS_ONLY_QUALIFIED, LS_ONLY_DISQUALIFIED } ls_only;

/* The three cells a result adds to its row: the score in its shortest
 * decimal form (written into buf, which must hold LS_FIXED_BUFSIZE bytes),
 * "true" or "false", and the reasons (pointing into res); for a row that is
 * not a lead, two empty cells and the reason. */
void ls_result_cells(const ls_result *res, char *buf, ls_cell cells[3]);

/* Told how far a run has got: records read and input bytes consumed. It is
 * called on the thread that called ls_score_csv, every 1024 records on one
 * thread and once per chunk of the input on several. Returning false stops
 * the run (LS_ERR_CANCELLED) after the rows already written. */
typedef bool (*ls_progress_fn)(void *ctx, uint64_t rows, uint64_t bytes);

/* Options of ls_score_csv; all zero (NULL) is the plain run: one thread per
 * CPU, every row written, new columns named score, disqualified, reasons. */
typedef struct ls_score_options {
	unsigned threads;         /* 0: one per online CPU; 1: the calling thread only */
	size_t chunk_size;        /* bytes a chunk holds at least, on several threads; 0: 1 MiB */
	ls_only only;             /* which rows to write */
	const char *prefix;       /* the new columns are PREFIXscore, ...; NULL: none */
	bool replace;             /* overwrite input columns of those names (else LS_ERR_HEADER) */
	ls_writer *rejects;       /* where records are set aside, as CSV "line,reason,record":
	                           * those with the wrong field count (which then do not
	                           * fail the run) and those that are not leads; NULL: a
	                           * wrong field count fails the run (LS_ERR_FIELDS), and
	                           * records that are not leads are only counted */
	uint64_t max_rejects;     /* with rejects: the record set aside after this many
	                           * fails the run; 0: no limit */
	const ls_row *header;     /* the input has no header and these are its columns: no
	                           * header is written either (a shard); NULL: the input's
	                           * first record is its header */
	ls_progress_fn progress;  /* NULL: none */
	void *progress_ctx;
} ls_score_options;

/* Reads every record from `in` (its delimiter, encoding, name and record
 * size limit apply), scores it with rs and writes it to `out`, every input
 * byte unchanged, with score, disqualified and reasons appended (or put in
 * place, see replace) as text in the input's encoding (ls_writer_set_encoding
 * on out and rejects), in input order whatever the number of threads: the bytes
 * written, the counts and the first error are those of one thread. A UTF-8
 * byte order mark and the header go out first. Everything written is
 * flushed, also after a failure (the rows before the failing record).
 * counts (may be NULL) is filled in on success and failure alike. When
 * engine is not NULL, *engine receives the engine bound to the header, whose
 * statistics count every record scored (the caller frees it), or NULL when
 * the run failed before there was one. */
ls_status ls_score_csv(const ls_ruleset *rs, ls_reader *in, ls_writer *out,
                       const ls_score_options *opt, ls_score_counts *counts, ls_engine **engine,
                       ls_error *err);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* LEADSIFT_H */
