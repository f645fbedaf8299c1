/* SPDX-License-Identifier: MIT */
/* rules.h - the compiled form of personas, rules and conditions. Loaded and
 * validated once from JSON (rules_load.c), then read-only. */
#ifndef LS_RULES_H
#define LS_RULES_H

#include <regex.h>

#include "base/date.h"
#include "leadsift.h"

enum cond_kind { COND_ALL, COND_ANY, COND_NOT, COND_LEAF };

enum cond_op {
	OP_EQ, OP_NE, OP_IN, OP_NOT_IN, OP_CONTAINS, OP_NOT_CONTAINS, OP_STARTS_WITH,
	OP_ENDS_WITH, OP_MATCHES, OP_LT, OP_LTE, OP_GT, OP_GTE, OP_BETWEEN, OP_EMPTY,
	OP_NOT_EMPTY, OP_BEFORE, OP_AFTER, OP_OLDER_THAN, OP_NEWER_THAN
};

/* A string operand; folded to lower case when the leaf ignores case. */
struct str_operand {
	char *ptr;
	size_t len;
};

struct strset;
struct lookup;

/* A regular expression of "matches", compiled twice: in the C locale, for
 * the ASCII-only cells most exports hold (fast), and in the UTF-8 locale
 * (text_locale), where "." is one character and case is ignored beyond
 * ASCII. A pattern that is not ASCII only has the second; without the
 * UTF-8 locale, there is only the first. */
struct pattern {
	regex_t ascii, utf8;
	bool has_ascii, has_utf8;
};

struct cond {
	enum cond_kind kind;
	char *text;            /* a rule's, entry's or require's whole condition as
	                        * canonical JSON (NULL in its parts), to compare */
	struct cond *kids;     /* ALL, ANY: nkids >= 1; NOT: exactly one */
	size_t nkids;

	/* COND_LEAF */
	size_t field;          /* index into ls_ruleset.fields */
	enum cond_op op;
	bool case_sensitive;
	bool numeric;          /* compares the cell as a number */
	bool dated;            /* compares the cell as a date */
	int64_t day;           /* before, after: the date */
	struct date_age age;   /* older_than, newer_than */
	double lo, hi;         /* the number; between: both bounds */
	struct str_operand *strs;
	size_t nstrs;
	struct strset *set;    /* in, not_in, starts_with, ends_with with many
	                        * strings: strs hashed (strset.h); NULL: compare
	                        * one by one */
	double *nums;          /* numeric members of in / not_in */
	size_t nnums;
	struct pattern *patterns; /* matches: its regular expressions */
	size_t npatterns;
	char *value_text;      /* the operand as compact JSON (NULL for empty,
	                        * not_empty), for explain and check; for a
	                        * value_file, "NAME (N values)" */
	bool from_file;        /* strs came from a value_file */
};

struct rule {
	char *id;
	char *reason;
	ls_fixed deduct;
	bool disqualify;
	struct cond when;
};

struct persona {
	char *id;
	char *file;            /* where it was loaded from, for messages */
	bool capped;
	ls_fixed max_deduct;
	struct rule *rules;
	size_t nrules;
};

/* What a persona deducts when its matched rules deduct `sum`: at most
 * max_deduct, when it has one. */
static inline ls_fixed persona_deduction(const struct persona *p, ls_fixed sum)
{
	return p->capped && sum > p->max_deduct ? p->max_deduct : sum;
}

/* A field name used by some rule; rules refer to it by index. */
struct field_use {
	char *name;
	size_t lookup;         /* 1 + its lookup table in ls_ruleset.lookups, when
	                        * named "TABLE.COLUMN"; 0: a column of the leads */
	const char *column;    /* the name to find in that header: the part of
	                        * name after "TABLE.", or all of it */
	size_t table_column;   /* a lookup table's column: where it was found */
	bool numeric;          /* some numeric operator reads it */
	bool dated;            /* some date operator reads it */
	char *first_user;      /* "rule p/r in file": the first user, for messages */
};

/* allow.json: leads an entry matches are never disqualified. */
struct allow_entry {
	char *id;
	char *reason;
	bool has_until;
	int64_t until;         /* last day the entry applies (days since 1970) */
	struct cond when;
};

/* A list of values read from a text file ("value_file", value_file.c):
 * what check reports about it. */
struct value_list {
	char *path;            /* resolved against the rule file naming it */
	size_t values;
	size_t duplicates;     /* values listed before, ignoring case */
	unsigned long duplicate_line, duplicate_first; /* the first such, and its twin */
	char *duplicate_value;
	size_t blanked;        /* values with blanks around them */
	unsigned long blank_line;
	char *blank_value;
	char digest[65];       /* SHA-256 of the values, one a line */
};

/* policy.json "fields": canonical name -> header names of real exports. */
/* Placeholders that read as an empty cell ("Select", "N/A"): trimmed and
 * folded copies, compared with a cell trimmed and ignoring case. */
struct missing_values {
	char **values;
	size_t *lens;
	size_t n;
	uint64_t lengths;      /* bit k: a value k bytes long (bit 63: 63 or more) */
};

/* A "fields" entry of the policy: the header names the field goes by, and
 * its own placeholders when it has them. */
struct field_alias {
	char *field;
	char **names;
	size_t nnames;
	bool has_missing;      /* missing replaces the policy's for this field */
	struct missing_values missing;
};

/* The policy settings kept as text to compare: "fields", "date_format",
 * "missing_values", "encoding", "lookups" (policy_load.c). */
#define POLICY_TEXTS 5
extern const char *const policy_text_keys[POLICY_TEXTS];

struct ls_ruleset {
	struct persona *personas;
	size_t npersonas;
	ls_fixed base;
	ls_fixed threshold;
	struct field_alias *aliases;
	size_t naliases;
	struct missing_values missing; /* policy missing_values */
	struct field_use *fields;
	size_t nfields;
	char *policy_file;     /* NULL when no policy was loaded */
	struct allow_entry *allow;
	size_t nallow;
	char *allow_file;      /* NULL when no allow-list was loaded */
	enum date_order date_order; /* policy date_format for NN/NN/YYYY cells */
	bool has_require;      /* policy require: what every lead satisfies */
	struct cond require;
	char *require_text;    /* the require condition as written, compact JSON */
	char *encoding;        /* policy encoding of the leads; NULL: UTF-8 */
	int64_t today;         /* for older_than / newer_than (days since 1970) */
	struct lookup *lookups;   /* the policy's "lookups" (lookup.h) */
	size_t nlookups;
	struct value_list *lists; /* every list file, once, in order of first use */
	size_t nlists;
	char *policy_text[POLICY_TEXTS]; /* those policy settings as canonical
	                        * JSON, NULL when not set: what ls_ruleset_compare
	                        * compares besides base, threshold and require */
	char fingerprint[65];
};

#define OP_TAKES_DATE(op) ((op) >= OP_BEFORE && (op) <= OP_NEWER_THAN)

/* The placeholders that read as empty in the field named `name`: its own
 * (a "fields" entry with missing_values), else the policy's. */
const struct missing_values *ruleset_missing_values(const ls_ruleset *rs, const char *name);

/* Sets *index to field `name` in the rule set, adding it if new, first used
 * by `user` ("rule p/r in FILE"); numeric, dated: some operator reads it as
 * a number, a date. False when out of memory. */
bool ruleset_intern_field(ls_ruleset *rs, const char *name, bool numeric, bool dated,
                          const char *user, size_t *index);

/* Whether the (trimmed) cell is one of m's placeholders, ignoring case. */
bool missing_values_has(const struct missing_values *m, ls_cell cell);

/* Frees what a condition owns (not the struct itself). */
void cond_free(struct cond *c);

/* The operator's name as written in JSON. */
const char *cond_op_name(enum cond_op op);

#endif
