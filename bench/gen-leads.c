/* SPDX-License-Identifier: MIT */
/* gen-leads.c - a deterministic CRM-style lead export for the benchmark.
 *
 *   gen-leads [--quote-all] [--delimiter C] ROWS [SEED [COLUMNS]] > leads.csv
 *
 * The shape of a HubSpot or Salesforce contact export: 16 columns, about
 * 200 bytes a row, numbers written as CRMs write them ("$8,000.00",
 * "1,001-5,000"), about one field in ten quoted (commas, doubled quotes) and
 * about one row in a hundred with a line break inside its notes. Fields are
 * quoted only where CSV needs it, as CRMs and leadsift write them. The same
 * ROWS and SEED always give the same bytes. COLUMNS above 16 adds custom
 * fields as CRMs carry them (picklists, counts, dates, yes/no, codes), for
 * the wide file discover is measured on. --quote-all quotes every field,
 * the header's too, as Salesforce's Data Loader writes them: the same
 * values, no record the fast path may split. --delimiter ';' writes the
 * export as European Excel and CRMs do: the same values, quoted only for a
 * semicolon, quote or line break, so most records hold no quote. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;
static int quote_all;
static char delim = ',';

/* splitmix64: small, fast, and the same on every platform. */
static uint64_t next_random(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n) { return (unsigned)(next_random() % n); }
static int percent(unsigned p) { return pick(100) < p; }

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define ANY(a) ((a)[pick(COUNT(a))])

static const char *const first_names[] = {
	"Ava", "Liam", "Noah", "Emma", "Mateo", "Sofia", "Yuki", "Ximena", "Oliver", "Amara",
	"Lucas", "Chloe", "Arjun", "Fatima", "Jonas", "Ingrid", "Wei", "Priya", "Diego", "Hannah"};
static const char *const last_names[] = {
	"Nguyen", "Kowalski", "Smith", "Garcia", "Müller", "O'Brien", "Tanaka", "Silva",
	"Johansson", "Okafor", "Rossi", "Dubois", "Kim", "Patel", "Novak", "Haddad"};
static const char *const titles[] = {
	"VP of Sales", "CTO", "Head of Marketing", "Sales Manager", "Founder", "Student",
	"Marketing Intern", "Director, Revenue Operations", "Procurement Lead", "CEO",
	"Software Engineer", "Operations Manager", "Head of Growth, EMEA", "Account Executive"};
static const char *const companies[] = {
	"Wayne Financial", "Acme, Inc.", "Globex", "Initech", "Umbrella Health", "Stark Industries",
	"Hooli", "Soylent Foods", "Vandelay Imports", "Pied Piper", "Smith & Sons, LLC",
	"Northwind Traders", "Contoso", "Tyrell Corp", "Cyberdyne Systems", "Blue Bottle Cafe"};
static const char *const domains[] = {
	"waynefinancial.com", "acme.com", "globex.io", "initech.com", "gmail.com", "stanford.edu",
	"hooli.com", "yahoo.com", "contoso.com", "northwind.co"};
static const char *const industries[] = {
	"Software", "Financial Services", "Retail", "Hospitality", "Healthcare", "Manufacturing",
	"Higher Education", "Logistics", "Software", "Financial Services", "Telecommunications"};
static const char *const employees[] = {
	"25", "3", "8", "120", "1,001-5,000", "51-200", "11-50", "2-10", "5000", "201-500", ""};
static const char *const revenues[] = {
	"12,000,000", "$75,000,000.00", "500000", "2,500,000", "$1,200,000.00", "90000000", ""};
static const char *const countries[] = {
	"United States", "Germany", "Brazil", "Australia", "India", "Canada", "France",
	"United Kingdom", "Japan", "Russia", "North Korea", "Spain"};
static const char *const budgets[] = {
	"8,000", "1500", "$2,500.00", "25000", "$800.00", "12000", "", "5000", "950"};
static const char *const sources[] = {
	"Webinar", "Paid Social", "Organic Search", "G2 Pricing", "Referral", "Trade Show",
	"Capterra Pricing", "Direct Traffic", "Email Campaign"};
static const char *const contracts[] = {
	"4800", "$3,000.00", "24000", "1200", "$60,000.00", "9000", "", "2500"};
static const char *const messages[] = {
	"", "", "", "", "", "Interested in a demo next week",
	"Do you offer a discount for startups?", "Looking for the best price, send a quote",
	"We need SSO and audit logs", "Is there a free version?",
	"Please call me back, thanks", "I am looking for a job in customer success, are you hiring?",
	"Our team of 40 wants to replace spreadsheets", "Saw your \"pricing\" page, too expensive"};

/* Writes a field, quoted only when it holds the delimiter, a quote or a
 * line break (or always, with --quote-all). */
static void put_field(const char *s, int last)
{
	char special[] = {delim, '"', '\r', '\n', '\0'};

	if (!quote_all && strpbrk(s, special) == NULL) {
		fputs(s, stdout);
	} else {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	}
	putchar(last ? '\n' : delim);
}

static void lower_copy(char *out, size_t size, const char *s)
{
	size_t i = 0;

	for (; *s && i + 1 < size; s++) {
		if (*s >= 'A' && *s <= 'Z')
			out[i++] = (char)(*s + 32);
		else if ((*s >= 'a' && *s <= 'z'))
			out[i++] = *s;
	}
	out[i] = '\0';
}

static unsigned extra_columns;

/* Custom field k of a row, its type by k. */
static void put_custom(unsigned k, int last)
{
	static const char *const options[] = {"Option A", "Option B", "Option C", "Option D",
	                                      "Option E", "Option F", "Option G", "Option H"};
	char text[64];

	switch (k % 5) {
	case 0: snprintf(text, sizeof(text), "%s", ANY(options)); break;
	case 1: snprintf(text, sizeof(text), "%u", pick(1000)); break;
	case 2: snprintf(text, sizeof(text), "2025-%02u-%02u", 1 + pick(12), 1 + pick(28)); break;
	case 3: snprintf(text, sizeof(text), "%s", percent(30) ? "Yes" : "No"); break;
	default: snprintf(text, sizeof(text), "C-%u", pick(5000)); break;
	}
	put_field(text, last);
}

static void put_row(unsigned long id)
{
	const char *first = ANY(first_names), *last = ANY(last_names);
	char text[512], a[64], b[64];

	snprintf(text, sizeof(text), "%lu", id);
	put_field(text, 0);
	put_field(first, 0);
	put_field(last, 0);
	lower_copy(a, sizeof(a), first);
	lower_copy(b, sizeof(b), last);
	snprintf(text, sizeof(text), "%c.%s@%s", a[0], b, ANY(domains));
	put_field(text, 0);
	put_field(ANY(titles), 0);
	put_field(ANY(companies), 0);
	put_field(ANY(industries), 0);
	put_field(ANY(employees), 0);
	put_field(ANY(revenues), 0);
	put_field(ANY(countries), 0);
	put_field(ANY(budgets), 0);
	put_field(ANY(sources), 0);
	snprintf(text, sizeof(text), "%u", percent(85) ? pick(4) : 5 + pick(20));
	put_field(text, 0);
	put_field(ANY(contracts), 0);
	if (percent(1))
		snprintf(text, sizeof(text), "%s\nFollow-up: %s", ANY(messages), ANY(messages));
	else
		snprintf(text, sizeof(text), "%s", ANY(messages));
	put_field(text, 0);
	snprintf(text, sizeof(text), "2026-%02u-%02u %02u:%02u", 1 + pick(12), 1 + pick(28),
	         pick(24), pick(60));
	put_field(text, extra_columns == 0);
	for (unsigned k = 0; k < extra_columns; k++)
		put_custom(k, k + 1 == extra_columns);
}

int main(int argc, char **argv)
{
	static const char *const header[] = {
	    "Record ID", "First Name", "Last Name", "Email", "Job Title", "Company Name",
	    "Industry", "Number of Employees", "Annual Revenue", "Country/Region", "Budget",
	    "Lead Source", "Support Tickets per Month", "Contract Value", "Message", "Create Date"};
	unsigned long rows, i;
	static char out[1 << 20];
	char name[32];

	for (; argc > 1 && strncmp(argv[1], "--", 2) == 0; argc--, argv++) {
		if (strcmp(argv[1], "--quote-all") == 0) {
			quote_all = 1;
		} else if (strcmp(argv[1], "--delimiter") == 0 && argc > 2 && strlen(argv[2]) == 1) {
			delim = argv[2][0];
			argc--, argv++;
		} else {
			break;
		}
	}
	if (argc < 2 || argc > 4 || strncmp(argv[1], "--", 2) == 0) {
		fprintf(stderr, "usage: gen-leads [--quote-all] [--delimiter C] ROWS [SEED [COLUMNS]] "
		                "> leads.csv\n");
		return 2;
	}
	rows = strtoul(argv[1], NULL, 10);
	state = argc >= 3 ? strtoull(argv[2], NULL, 10) : 42;
	extra_columns = argc == 4 && strtoul(argv[3], NULL, 10) > 16
	                        ? (unsigned)strtoul(argv[3], NULL, 10) - 16
	                        : 0;
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	for (i = 0; i < 16; i++)
		put_field(header[i], i == 15 && extra_columns == 0);
	for (unsigned k = 0; k < extra_columns; k++) {
		snprintf(name, sizeof(name), "Custom Field %u", k + 1);
		put_field(name, k + 1 == extra_columns);
	}
	for (i = 0; i < rows; i++)
		put_row(1000000 + i);
	return fflush(stdout) == 0 ? 0 : 1;
}
