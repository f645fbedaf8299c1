/* SPDX-License-Identifier: MIT */
/* ruleset.c - the loaded rule set as a read-only object: its policy
 * values, its personas, rules and allow-list entries, for callers. */
#include <stdlib.h>
#include <string.h>

#include "rules/lookup.h"
#include "rules/rules.h"
#include "base/date.h"
#include "base/text.h"

ls_fixed ls_ruleset_base(const ls_ruleset *rs) { return rs->base; }
ls_fixed ls_ruleset_threshold(const ls_ruleset *rs) { return rs->threshold; }
void ls_ruleset_set_base(ls_ruleset *rs, ls_fixed base) { rs->base = base; }
void ls_ruleset_set_threshold(ls_ruleset *rs, ls_fixed threshold) { rs->threshold = threshold; }
size_t ls_ruleset_persona_count(const ls_ruleset *rs) { return rs->npersonas; }
size_t ls_ruleset_field_count(const ls_ruleset *rs) { return rs->nfields; }
const char *ls_ruleset_field_name(const ls_ruleset *rs, size_t field)
{
	return rs->fields[field].name;
}
const char *ls_ruleset_persona_id(const ls_ruleset *rs, size_t persona)
{
	return rs->personas[persona].id;
}
size_t ls_ruleset_rule_count(const ls_ruleset *rs, size_t persona)
{
	return rs->personas[persona].nrules;
}
const char *ls_ruleset_rule_id(const ls_ruleset *rs, size_t persona, size_t rule)
{
	return rs->personas[persona].rules[rule].id;
}
const char *ls_ruleset_fingerprint(const ls_ruleset *rs) { return rs->fingerprint; }
const char *ls_ruleset_require(const ls_ruleset *rs) { return rs->require_text; }
const char *ls_ruleset_encoding(const ls_ruleset *rs) { return rs->encoding; }

void ls_ruleset_set_today(ls_ruleset *rs, int64_t today) { rs->today = today; }
size_t ls_ruleset_allow_count(const ls_ruleset *rs) { return rs->nallow; }
const char *ls_ruleset_allow_id(const ls_ruleset *rs, size_t i) { return rs->allow[i].id; }
bool ls_ruleset_allow_active(const ls_ruleset *rs, size_t i)
{
	return !rs->allow[i].has_until || rs->allow[i].until >= rs->today;
}
int64_t ls_ruleset_today(const ls_ruleset *rs) { return rs->today; }
const char *ls_ruleset_policy_file(const ls_ruleset *rs) { return rs->policy_file; }
const char *ls_ruleset_allow_file(const ls_ruleset *rs) { return rs->allow_file; }

void ls_ruleset_persona_info(const ls_ruleset *rs, size_t persona, ls_persona_info *out)
{
	const struct persona *p = &rs->personas[persona];

	out->id = p->id;
	out->file = p->file;
	out->nrules = p->nrules;
	out->capped = p->capped;
	out->max_deduct = p->max_deduct;
}

void ls_ruleset_rule_info(const ls_ruleset *rs, size_t persona, size_t rule, ls_rule_info *out)
{
	const struct rule *r = &rs->personas[persona].rules[rule];

	out->id = r->id;
	out->reason = r->reason;
	out->deduct = r->deduct;
	out->disqualify = r->disqualify;
}

void ls_ruleset_allow_info(const ls_ruleset *rs, size_t entry, ls_allow_info *out)
{
	const struct allow_entry *a = &rs->allow[entry];

	out->id = a->id;
	out->reason = a->reason;
	out->has_until = a->has_until;
	out->until = a->until;
	out->active = ls_ruleset_allow_active(rs, entry);
}

bool ruleset_intern_field(ls_ruleset *rs, const char *name, bool numeric, bool dated,
                          const char *user, size_t *index)
{
	struct field_use *grown, *f;
	size_t i;

	for (i = 0; i < rs->nfields; i++) {
		if (strcmp(rs->fields[i].name, name) == 0) {
			rs->fields[i].numeric |= numeric;
			rs->fields[i].dated |= dated;
			*index = i;
			return true;
		}
	}
	grown = realloc(rs->fields, (rs->nfields + 1) * sizeof(*grown));
	if (grown == NULL)
		return false;
	rs->fields = grown;
	f = memset(&grown[i], 0, sizeof(grown[i]));
	f->name = strdup(name);
	f->first_user = strdup(user);
	if (f->name == NULL || f->first_user == NULL) {
		free(f->name);
		free(f->first_user);
		return false;
	}
	f->column = f->name; /* lookups_load points it past "TABLE." */
	f->numeric = numeric;
	f->dated = dated;
	rs->nfields++;
	*index = i;
	return true;
}

size_t ls_ruleset_lookup_count(const ls_ruleset *rs) { return rs->nlookups; }

void ls_ruleset_lookup_info(const ls_ruleset *rs, size_t lookup, ls_lookup_info *out)
{
	const struct lookup *lk = &rs->lookups[lookup];

	out->name = lk->name;
	out->file = lk->file;
	out->key = lk->key;
	out->match = lk->match;
	out->loaded = lk->used;
	out->by_domain = lk->by_domain;
	out->rows = lk->nrows;
	out->keyless = lk->keyless;
	out->duplicates = lk->duplicates;
	out->header = lk->header;
	out->ncols = lk->ncols;
}

bool ls_ruleset_field_lookup(const ls_ruleset *rs, size_t field, size_t *lookup, size_t *column)
{
	const struct field_use *f = &rs->fields[field];

	if (f->lookup == 0)
		return false;
	*lookup = f->lookup - 1;
	*column = f->table_column;
	return true;
}

size_t ls_ruleset_list_count(const ls_ruleset *rs) { return rs->nlists; }

void ls_ruleset_list_info(const ls_ruleset *rs, size_t list, ls_list_info *out)
{
	const struct value_list *l = &rs->lists[list];

	out->file = l->path;
	out->values = l->values;
	out->duplicates = l->duplicates;
	out->blanked = l->blanked;
}

const struct missing_values *ruleset_missing_values(const ls_ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->naliases; i++)
		if (rs->aliases[i].has_missing && strcmp(rs->aliases[i].field, name) == 0)
			return &rs->aliases[i].missing;
	return &rs->missing;
}

size_t ls_ruleset_field_missing_values(const ls_ruleset *rs, size_t field)
{
	return ruleset_missing_values(rs, rs->fields[field].name)->n;
}

bool missing_values_has(const struct missing_values *m, ls_cell cell)
{
	size_t i;

	/* Most cells are no placeholder's length: one test per cell. (Folding
	 * keeps the length of ASCII text only.) */
	if (m->n == 0 || (!((m->lengths >> (cell.len < 63 ? cell.len : 63)) & 1) &&
	                  !text_has_high_bytes(cell.ptr, cell.len)))
		return false;
	for (i = 0; i < m->n; i++)
		if (text_equal_fold(m->values[i], m->lens[i], cell.ptr, cell.len))
			return true;
	return false;
}

ls_read_as ls_ruleset_read_date(const ls_ruleset *rs, const char *field, ls_cell cell,
                                int64_t *days)
{
	cell = ls_cell_trim(cell);
	if (cell.len == 0 || missing_values_has(ruleset_missing_values(rs, field), cell))
		return LS_READ_EMPTY;
	return date_parse(cell.ptr, cell.len, rs->date_order, days) == DATE_OK ? LS_READ_DATE
	                                                                       : LS_READ_NOT_DATE;
}
