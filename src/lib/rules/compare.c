/* SPDX-License-Identifier: MIT */
/* compare.c - what changed between two rule sets, as a reviewer reads a
 * change: policy settings, personas' caps, rules and allow-list entries
 * added, removed or changed, matched by id. Conditions are compared in
 * their canonical form, so moving a key or a blank is no change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "rules/rules.h"

struct changes {
	ls_rule_change *list;
	size_t n, cap;
	bool nomem;
};

/* Takes old_value and new_value (either may be NULL), even on failure. */
static void add(struct changes *c, const char *kind, const char *persona, const char *id,
                const char *field, char *old_value, char *new_value)
{
	if (!c->nomem && c->n == c->cap) {
		ls_rule_change *grown = array_grow(c->list, &c->cap, sizeof(*grown), 8);
		if (grown != NULL) {
			c->list = grown;
		} else {
			c->nomem = true;
		}
	}
	if (c->nomem) {
		free(old_value);
		free(new_value);
		return;
	}
	c->list[c->n++] = (ls_rule_change){kind, persona, id, field, old_value, new_value};
}

static char *copy(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static char *fixed_text(ls_fixed v)
{
	char buf[LS_FIXED_BUFSIZE];

	ls_fixed_format(v, buf);
	return strdup(buf);
}

/* Adds a change of field when the two texts differ; they are owned. */
static void differ(struct changes *c, const char *kind, const char *persona, const char *id,
                   const char *field, char *old_value, char *new_value)
{
	bool same = old_value != NULL && new_value != NULL && strcmp(old_value, new_value) == 0;

	if ((old_value == NULL || new_value == NULL) && !c->nomem)
		c->nomem = true; /* every text here exists on both sides */
	if (same || c->nomem) {
		free(old_value);
		free(new_value);
		return;
	}
	add(c, kind, persona, id, field, old_value, new_value);
}

/* "disqualify, deduct 15 when {...}: reason": a whole rule, added or removed. */
static char *rule_text(const struct rule *r)
{
	char deduct[LS_FIXED_BUFSIZE], what[LS_FIXED_BUFSIZE + 32];
	size_t n = strlen(r->when.text) + strlen(r->reason) + sizeof(what) + 16;
	char *out = malloc(n);

	ls_fixed_format(r->deduct, deduct);
	if (!r->disqualify)
		snprintf(what, sizeof(what), "deduct %s", deduct);
	else if (r->deduct == 0)
		snprintf(what, sizeof(what), "disqualify");
	else
		snprintf(what, sizeof(what), "disqualify, deduct %s", deduct);
	if (out != NULL)
		snprintf(out, n, "%s when %s: %s", what, r->when.text, r->reason);
	return out;
}

static char *cap_text(const struct persona *p)
{
	return p->capped ? fixed_text(p->max_deduct) : strdup("none");
}

static char *until_text(const struct allow_entry *a)
{
	char buf[16];
	int64_t y;
	unsigned m, d;

	if (!a->has_until)
		return strdup("none");
	date_to_civil(a->until, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", (long long)y, m, d);
	return strdup(buf);
}

static const struct rule *find_rule(const struct persona *p, const char *id)
{
	size_t i;

	for (i = 0; p != NULL && i < p->nrules; i++)
		if (strcmp(p->rules[i].id, id) == 0)
			return &p->rules[i];
	return NULL;
}

static const struct persona *find_persona(const ls_ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->npersonas; i++)
		if (strcmp(rs->personas[i].id, id) == 0)
			return &rs->personas[i];
	return NULL;
}

static const struct allow_entry *find_allow(const ls_ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->nallow; i++)
		if (strcmp(rs->allow[i].id, id) == 0)
			return &rs->allow[i];
	return NULL;
}

static void compare_rules(struct changes *c, const struct persona *a, const struct persona *b)
{
	size_t i;

	differ(c, "persona", a->id, NULL, "max_deduct", cap_text(a), cap_text(b));
	for (i = 0; i < a->nrules; i++) {
		const struct rule *x = &a->rules[i], *y = find_rule(b, x->id);
		if (y == NULL) {
			add(c, "rule", a->id, x->id, NULL, rule_text(x), NULL);
			continue;
		}
		differ(c, "rule", a->id, x->id, "deduct", fixed_text(x->deduct), fixed_text(y->deduct));
		differ(c, "rule", a->id, x->id, "disqualify", copy(x->disqualify ? "true" : "false"),
		       copy(y->disqualify ? "true" : "false"));
		differ(c, "rule", a->id, x->id, "when", copy(x->when.text), copy(y->when.text));
		differ(c, "rule", a->id, x->id, "reason", copy(x->reason), copy(y->reason));
	}
	for (i = 0; i < b->nrules; i++)
		if (find_rule(a, b->rules[i].id) == NULL)
			add(c, "rule", b->id, b->rules[i].id, NULL, NULL, rule_text(&b->rules[i]));
}

static char *persona_text(const struct persona *p)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%zu rule%s", p->nrules, p->nrules == 1 ? "" : "s");
	return strdup(buf);
}

static char *allow_text(const struct allow_entry *a)
{
	size_t n = strlen(a->when.text) + strlen(a->reason) + 40;
	char *out = malloc(n);

	if (out != NULL)
		snprintf(out, n, "when %s: %s", a->when.text, a->reason);
	return out;
}

static void compare_allow(struct changes *c, const ls_ruleset *a, const ls_ruleset *b)
{
	size_t i;

	for (i = 0; i < a->nallow; i++) {
		const struct allow_entry *x = &a->allow[i], *y = find_allow(b, x->id);
		if (y == NULL) {
			add(c, "allow", NULL, x->id, NULL, allow_text(x), NULL);
			continue;
		}
		differ(c, "allow", NULL, x->id, "when", copy(x->when.text), copy(y->when.text));
		differ(c, "allow", NULL, x->id, "until", until_text(x), until_text(y));
		differ(c, "allow", NULL, x->id, "reason", copy(x->reason), copy(y->reason));
	}
	for (i = 0; i < b->nallow; i++)
		if (find_allow(a, b->allow[i].id) == NULL)
			add(c, "allow", NULL, b->allow[i].id, NULL, NULL, allow_text(&b->allow[i]));
}

ls_status ls_ruleset_compare(const ls_ruleset *a, const ls_ruleset *b, ls_rule_change **out,
                             size_t *n)
{
	struct changes c = {0};
	size_t i;

	*out = NULL;
	*n = 0;
	differ(&c, "policy", NULL, NULL, "base", fixed_text(a->base), fixed_text(b->base));
	differ(&c, "policy", NULL, NULL, "threshold", fixed_text(a->threshold),
	       fixed_text(b->threshold));
	differ(&c, "policy", NULL, NULL, "require", strdup(a->has_require ? a->require.text : "none"),
	       strdup(b->has_require ? b->require.text : "none"));
	for (i = 0; i < POLICY_TEXTS; i++)
		differ(&c, "policy", NULL, NULL, policy_text_keys[i],
		       strdup(a->policy_text[i] ? a->policy_text[i] : "none"),
		       strdup(b->policy_text[i] ? b->policy_text[i] : "none"));
	for (i = 0; i < a->npersonas; i++) {
		const struct persona *p = &a->personas[i], *q = find_persona(b, p->id);
		if (q == NULL)
			add(&c, "persona", p->id, NULL, NULL, persona_text(p), NULL);
		else
			compare_rules(&c, p, q);
	}
	for (i = 0; i < b->npersonas; i++)
		if (find_persona(a, b->personas[i].id) == NULL)
			add(&c, "persona", b->personas[i].id, NULL, NULL, NULL,
			    persona_text(&b->personas[i]));
	compare_allow(&c, a, b);
	for (i = 0; i < c.n && !c.nomem; i++) /* a whole thing's text was not made */
		c.nomem = c.list[i].field == NULL && c.list[i].old_value == NULL &&
		          c.list[i].new_value == NULL;
	if (c.nomem) {
		ls_rule_changes_free(c.list, c.n);
		return LS_ERR_NOMEM;
	}
	*out = c.list;
	*n = c.n;
	return LS_OK;
}

void ls_rule_changes_free(ls_rule_change *changes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(changes[i].old_value);
		free(changes[i].new_value);
	}
	free(changes);
}
