# leadsift - negative-persona lead filter
# Plain make: all check clean install uninstall asan ubsan bench fuzz

VERSION    := $(shell sed -n 's/^\#define LS_VERSION "\(.*\)"/\1/p' include/leadsift.h)

CC         ?= cc
PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANPREFIX  ?= $(PREFIX)/share/man
DESTDIR    ?=

WARNINGS   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
              -Wwrite-strings -Wvla -Wundef -Wpointer-arith -Wcast-qual
WERROR     ?= -Werror
CFLAGS     ?= -O2 -g
CJSON_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null)
CJSON_LIBS    := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null || echo -lcjson)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
ALL_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -pthread $(WARNINGS) $(WERROR) $(CFLAGS) \
              -Iinclude $(CJSON_CFLAGS)
LIBS        = -lcsv $(CJSON_LIBS) -lm -pthread

# The library (src/lib/, one folder per concern) sees its own folders; the
# program (src/cli/) sees only the public header and its own folder, so
# reaching into the library's internals does not build (docs/ARCHITECTURE.md).
# Library symbols are hidden unless the public header declares them.
LIB_CFLAGS  = $(ALL_CFLAGS) -Isrc/lib -fvisibility=hidden
CLI_CFLAGS  = $(ALL_CFLAGS) -Isrc/cli

BUILD      ?= build
LIB_SRCS   := $(sort $(wildcard src/lib/*/*.c))
CLI_SRCS   := $(sort $(wildcard src/cli/*.c))
LIB_HDRS   := include/leadsift.h $(wildcard src/lib/*/*.h)
CLI_HDRS   := include/leadsift.h $(wildcard src/cli/*.h)
LIB_OBJS   := $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
CLI_OBJS   := $(CLI_SRCS:src/%.c=$(BUILD)/%.o)
LIB        := $(BUILD)/libleadsift.a
BIN        := $(BUILD)/leadsift

# Unit tests mirror the source tree: tests/unit/lib/CONCERN/ link the library's
# objects alone, tests/unit/cli/ the program's modules (not main.o) as well.
LIB_TESTS  := $(patsubst tests/unit/lib/%.c,$(BUILD)/tests/lib/%,$(sort $(wildcard tests/unit/lib/*/test_*.c)))
CLI_TESTS  := $(patsubst tests/unit/cli/%.c,$(BUILD)/tests/cli/%,$(sort $(wildcard tests/unit/cli/test_*.c)))
UNIT_TESTS := $(LIB_TESTS) $(CLI_TESTS)

.PHONY: all check coverage mutate equivalents unit e2e jobs fastpath shard bench difftest reports browser schema docs layout completion installcheck dist distcheck FORCE clean install uninstall asan tsan ubsan fuzz fuzz-build alloc

all: $(BIN)

$(BUILD)/lib/%.o: src/lib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/cli/%.o: src/cli/%.c $(CLI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CLI_CFLAGS) -c $< -o $@

$(BUILD):
	mkdir -p $(BUILD)/tests

# One relocatable object whose hidden symbols are made local: what an
# embedder links exports the public header's ls_ functions and nothing else.
$(LIB): $(LIB_OBJS)
	$(CC) -r -nostdlib $^ -o $(BUILD)/leadsift-lib.o
	objcopy --localize-hidden $(BUILD)/leadsift-lib.o
	rm -f $@
	$(AR) rcs $@ $(BUILD)/leadsift-lib.o

$(BIN): $(CLI_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(CLI_OBJS) $(LIB) $(LIBS) -o $@

# The program's modules unit tests link (not main.o).
TEST_CLI_OBJS := $(filter-out $(BUILD)/cli/main.o,$(CLI_OBJS))

# They can make one of the library's allocations, or reads, fail (tests/unit/failalloc.h).
FAILALLOC  := $(BUILD)/tests/failalloc.o
WRAP_ALLOC := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup,--wrap=read,--wrap=readdir,--wrap=mkstemp
UNIT_DEPS  := tests/unit/unit.h tests/unit/failalloc.h tests/unit/sweep.h $(FAILALLOC)

$(FAILALLOC): tests/unit/failalloc.c tests/unit/failalloc.h | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/lib/%: tests/unit/lib/%.c $(UNIT_DEPS) $(LIB_OBJS) $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -Itests/unit $(CMOCKA_CFLAGS) $< $(LIB_OBJS) $(FAILALLOC) \
		$(CMOCKA_LIBS) $(LIBS) $(LDFLAGS) $(WRAP_ALLOC) -o $@

$(BUILD)/tests/cli/%: tests/unit/cli/%.c $(UNIT_DEPS) $(TEST_CLI_OBJS) $(LIB_OBJS) $(CLI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CLI_CFLAGS) -Itests/unit $(CMOCKA_CFLAGS) $< $(TEST_CLI_OBJS) $(LIB_OBJS) $(FAILALLOC) \
		$(CMOCKA_LIBS) $(LIBS) $(LDFLAGS) $(WRAP_ALLOC) -o $@

# Unit tests, then the end-to-end golden tests of the real binary.
# VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full
# --suppressions=$PWD/tests/valgrind.supp" runs them under valgrind.
check: layout unit e2e jobs fastpath shard difftest reports browser schema docs equivalents completion installcheck

unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $(VALGRIND) $$t; done

e2e: $(BIN)
	@LEADSIFT=$(BIN) VALGRIND="$(VALGRIND)" sh tests/cli/run.sh

# -j N against -j 1: the whole end-to-end suite again on one thread with
# every record parsed by libcsv (no quote-free fast path: the golden files
# hold both ways), then with three threads and chunks cut at every record,
# then random inputs with errors and quoted line breaks across chunk
# borders, -j N with the fast path against -j 1 without.
JOBS_CASES ?= 300
jobs: $(BIN)
	@LEADSIFT=$(BIN) VALGRIND="$(VALGRIND)" LEADSIFT_JOBS=1 LEADSIFT_NO_FAST_PATH=1 sh tests/cli/run.sh
	@LEADSIFT=$(BIN) VALGRIND="$(VALGRIND)" LEADSIFT_JOBS=3 LEADSIFT_CHUNK_SIZE=1 sh tests/cli/run.sh
	@python3 tests/jobs/check.py $(BIN) bench/personas --cases $(JOBS_CASES)

# Which bytes reach libcsv, counted by an LD_PRELOAD shim: only the records
# that hold a quote, unless LEADSIFT_NO_FAST_PATH=1 (tests/fastpath/check.sh).
fastpath: $(BIN) $(BUILD)/libcsv-bytes.so
	@sh tests/fastpath/check.sh $(BIN) $(BUILD)/libcsv-bytes.so

$(BUILD)/libcsv-bytes.so: tests/fastpath/libcsv_bytes.c | $(BUILD)
	$(CC) -O2 -Wall -Wextra -Werror -shared -fPIC $< -ldl -o $@

# Shards through GNU parallel, joined, equal one run (tests/shard/run.sh).
shard: $(BIN) $(BUILD)/gen-leads
	@sh tests/shard/run.sh $(BIN) $(BUILD)/gen-leads bench/personas

# The benchmark's programs: the lead generator and the libcsv floors.
BENCH_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNINGS) $(WERROR) -O2
$(BUILD)/gen-leads: bench/gen-leads.c | $(BUILD)
	$(CC) $(BENCH_CFLAGS) $< -o $@
$(BUILD)/floor-%: bench/floor-%.c | $(BUILD)
	$(CC) $(BENCH_CFLAGS) $< -lcsv -o $@

# The performance comparison (not part of check): see bench/README.md.
BENCH_ROWS ?= 1000000
BENCH_RUNS ?= 5
bench: $(BIN) $(BUILD)/gen-leads $(BUILD)/floor-parse $(BUILD)/floor-rewrite
	@BUILD=$(BUILD) ROWS=$(BENCH_ROWS) RUNS=$(BENCH_RUNS) python3 bench/run.py

# Differential test: random rule sets and leads, leadsift against the
# independent reference evaluator in tests/differential/reference.py.
DIFF_SEEDS ?= 500
difftest: $(BIN)
	@python3 tests/differential/run.py $(BIN) --seeds $(DIFF_SEEDS)

# The JSON Schemas in personas/schema/ against the loader, with Debian's
# python3-jsonschema (which belongs to /usr/bin/python3).
SCHEMA_PYTHON ?= /usr/bin/python3
schema: $(BIN)
	@VALGRIND="$(VALGRIND)" $(SCHEMA_PYTHON) tests/schema/check.py $(BIN)

# --help against the man page, the man pages through mandoc's lint, the
# operators in the persona docs, one version everywhere.
docs: $(BIN)
	@sh tests/docs/check.sh $(BIN)

# The include rules of docs/ARCHITECTURE.md (tests/layout/check.sh).
layout:
	@sh tests/layout/check.sh

# Every mutant listed as equivalent still exists in the source (make mutate).
equivalents:
	@python3 tests/mutate/mutate.py --stale

# The bash and zsh completions, in a real bash and an interactive zsh.
completion: $(BIN)
	@bash tests/completion/check.sh $(BIN)

# The HTML report as a person sees it: rendered and printed by headless
# chromium, every figure and chart mark checked (skipped with a note
# where chromium is not installed; CI installs it).
browser: $(BIN)
	@VALGRIND="$(VALGRIND)" python3 tests/reports/browser.py $(BIN)

# backtest, diff and the HTML report against figures computed by hand.
reports: $(BIN)
	@VALGRIND="$(VALGRIND)" python3 tests/reports/check.py $(BIN)

# Line and branch coverage of the library and the CLI from make check and
# make alloc (whose allocation failures reach the out-of-memory branches),
# with Debian's gcovr: build-cov/coverage/index.html and a summary that must
# meet the targets in tests/coverage/report.py.
coverage:
	rm -rf build-cov
	$(MAKE) BUILD=build-cov CFLAGS="-O0 -g --coverage" LDFLAGS="--coverage" check alloc
	@python3 tests/coverage/report.py build-cov $(LIB_SRCS) -- $(CLI_SRCS)

# Mutation testing of the library (slow: not in check or CI), with the
# coverage of the last `make coverage` to skip mutants no test reaches:
# tests/mutate/mutate.py. MUTATE_FILES picks files, MUTATE_ARGS adds options.
MUTATE_JOBS  ?= 2
MUTATE_FILES ?= $(LIB_SRCS)
mutate:
	python3 tests/mutate/mutate.py --jobs $(MUTATE_JOBS) --coverage build-cov $(MUTATE_ARGS) \
		$(MUTATE_FILES)

asan:
	$(MAKE) BUILD=build-asan CC=clang \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" check

# ThreadSanitizer over the -j runs: races, and threads left unjoined.
tsan:
	$(MAKE) BUILD=build-tsan CC=clang \
		CFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=thread" jobs

ubsan:
	$(MAKE) BUILD=build-ubsan \
		CFLAGS="-O1 -g -fsanitize=undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=undefined" check

# libFuzzer targets (clang): `make fuzz FUZZ_SECONDS=N` builds them and runs
# each for N seconds from its seed corpus in fuzz/corpus/. New inputs go to
# build-fuzz/corpus-*, crashes to build-fuzz/ (fix them, add a regression test).
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_NAMES   := csv rules pipeline fastpath
FUZZ_FLAGS   := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNINGS) -Werror -O1 -g \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -Iinclude -Isrc/lib $(CJSON_CFLAGS)

fuzz-build: $(FUZZ_NAMES:%=build-fuzz/fuzz_%)

build-fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(LIB_SRCS) $(LIB_HDRS)
	@mkdir -p build-fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $< $(LIB_SRCS) $(LIBS) -o $@

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_NAMES); do \
		mkdir -p build-fuzz/corpus-$$t; \
		echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
		if build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/ \
			build-fuzz/corpus-$$t fuzz/corpus/$$t >build-fuzz/fuzz_$$t.log 2>&1; then \
			grep -E 'DONE|number_of_executed_units' build-fuzz/fuzz_$$t.log; \
		else \
			tail -n 40 build-fuzz/fuzz_$$t.log; exit 1; \
		fi; \
	done

# Allocation-failure test: every allocation of each load in tests/alloc/run.py
# made to fail in turn through an LD_PRELOAD shim (tests/alloc/failmalloc.c).
alloc: $(BIN) $(BUILD)/failmalloc.so
	@python3 tests/alloc/run.py $(BIN) $(BUILD)/failmalloc.so

$(BUILD)/failmalloc.so: tests/alloc/failmalloc.c | $(BUILD)
	$(CC) -O2 -Wall -Wextra -shared -fPIC $< -ldl -o $@

# Standard places under PREFIX (DESTDIR for staging). libleadsift is a static
# library, so leadsift.pc lists what it links against in Libs.
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR  ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR   ?= $(DATADIR)/zsh/site-functions
SHAREDIR     := $(DATADIR)/leadsift

# Written every time: it records PREFIX, which may differ from the last run.
$(BUILD)/leadsift.pc: FORCE | $(BUILD)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
		'Name: leadsift' \
		'Description: score CRM leads against negative-persona rules' \
		'Version: $(VERSION)' \
		'Requires: libcjson' \
		'Libs: -L$${libdir} -lleadsift -lcsv -lm -pthread' \
		'Cflags: -I$${includedir}' > $@

FORCE:

install: $(BIN) $(LIB) $(BUILD)/leadsift.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(SHAREDIR)/personas/schema \
		$(DESTDIR)$(SHAREDIR)/personas/lists $(DESTDIR)$(SHAREDIR)/personas/tables
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/leadsift
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libleadsift.a
	install -m 644 include/leadsift.h $(DESTDIR)$(INCLUDEDIR)/leadsift.h
	install -m 644 $(BUILD)/leadsift.pc $(DESTDIR)$(PKGCONFIGDIR)/leadsift.pc
	install -m 644 man/leadsift.1 $(DESTDIR)$(MANPREFIX)/man1/leadsift.1
	install -m 644 man/leadsift-personas.5 $(DESTDIR)$(MANPREFIX)/man5/leadsift-personas.5
	install -m 644 completions/leadsift.bash $(DESTDIR)$(BASHCOMPDIR)/leadsift
	install -m 644 completions/_leadsift $(DESTDIR)$(ZSHCOMPDIR)/_leadsift
	install -m 644 personas/*.json $(DESTDIR)$(SHAREDIR)/personas/
	install -m 644 personas/schema/*.json $(DESTDIR)$(SHAREDIR)/personas/schema/
	install -m 644 personas/lists/*.txt $(DESTDIR)$(SHAREDIR)/personas/lists/
	install -m 644 personas/tables/*.csv $(DESTDIR)$(SHAREDIR)/personas/tables/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/leadsift $(DESTDIR)$(LIBDIR)/libleadsift.a \
		$(DESTDIR)$(INCLUDEDIR)/leadsift.h $(DESTDIR)$(PKGCONFIGDIR)/leadsift.pc \
		$(DESTDIR)$(MANPREFIX)/man1/leadsift.1 $(DESTDIR)$(MANPREFIX)/man5/leadsift-personas.5 \
		$(DESTDIR)$(BASHCOMPDIR)/leadsift $(DESTDIR)$(ZSHCOMPDIR)/_leadsift
	rm -rf $(DESTDIR)$(SHAREDIR)

# install, the library through pkg-config, uninstall: tests/install/check.sh.
installcheck: $(BIN)
	@sh tests/install/check.sh "$(MAKE) BUILD=$(BUILD) CC=$(CC)" "$(CC) $(CFLAGS) $(LDFLAGS)"

# A source tarball of the committed tree, named by the version; distcheck
# builds it and runs its `make check` on its own.
DIST := leadsift-$(VERSION)
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo "make dist: needs a git checkout" >&2; exit 2; }
	@mkdir -p $(BUILD)
	git archive --format=tar.gz --prefix=$(DIST)/ -o $(BUILD)/$(DIST).tar.gz HEAD
	@git diff --quiet HEAD || echo "make dist: uncommitted changes are not in the tarball" >&2
	@echo "$(BUILD)/$(DIST).tar.gz"

distcheck: dist
	rm -rf $(BUILD)/distcheck && mkdir -p $(BUILD)/distcheck
	tar -xzf $(BUILD)/$(DIST).tar.gz -C $(BUILD)/distcheck
	$(MAKE) -C $(BUILD)/distcheck/$(DIST) check
	rm -rf $(BUILD)/distcheck

clean:
	rm -rf build build-*
