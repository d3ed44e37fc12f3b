# stepmap - a terminal workbench for process mapping.
#
#   make            build ./stepmap
#   make run        install missing system packages, build, open the demo
#   make test       build and run every test, then again under ASan + UBSan
#   make install    PREFIX=/usr/local DESTDIR=
#   make SANITIZE=1 a build with -fsanitize=address,undefined (in build-san/)
#   make bench      run the benchmarks (not part of make test)
#   make check-layers  the direction of dependency between folders
#   make fuzz       build the libFuzzer targets (tests/fuzz/, clang) and run
#                   each FUZZ_TIME seconds (default 60); see tests/fuzz/README.md

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config
VERSION := 0.1.0

# cairo and pangocairo draw the pictures (export/ only: make check-layers);
# zlib reads .xes.gz event logs.
PKGS := ncursesw sqlite3 libxml-2.0 cairo pangocairo zlib

WARN := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wwrite-strings -Wundef -Wno-format-nonliteral
ifeq ($(CI),true)
WERROR := -Werror
endif
ifeq ($(DEBUG),1)
WERROR := -Werror
CFLAGS := -O0 -g
endif

ifeq ($(FUZZ),1)
# the libraries instrumented for libFuzzer (make fuzz)
B := build-fuzz
CC := clang
CFLAGS := -O1 -g
# clang's false alarm on the SQL texts split over lines in store/rows.c
WARN += -Wno-string-concatenation
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
else ifeq ($(SANITIZE),1)
B := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
B := build
SANFLAGS :=
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
CSV_LIBS := -lcsv

ALL_CFLAGS = $(WARN) $(WERROR) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -DSTEPMAP_VERSION='"$(VERSION)"' -I. -I$(B)/gen $(PKG_CFLAGS) \
             $(CFLAGS) $(SANFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS = $(PKG_LIBS) $(CSV_LIBS) -lm

# Each folder is a library; the binary and the tests link the ones they need.
LAYERS := tui export import store examples model
define layer_objs
$(patsubst %.c,$(B)/%.o,$(wildcard $(1)/*.c))
endef
MODEL_OBJS    := $(call layer_objs,model)
STORE_OBJS    := $(call layer_objs,store)
IMPORT_OBJS   := $(call layer_objs,import)
EXPORT_OBJS   := $(call layer_objs,export)
TUI_OBJS      := $(call layer_objs,tui)
EXAMPLES_OBJS := $(call layer_objs,examples) $(patsubst examples/%,$(B)/gen/examples/%.o,$(wildcard examples/*.csv))
CLI_OBJS      := $(call layer_objs,cli)
LAYER_LIBS    := $(foreach l,$(LAYERS),$(B)/lib$(l).a)

BIN := stepmap
ifeq ($(SANITIZE),1)
BIN := $(B)/stepmap
endif

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))

# Fuzz targets (tests/fuzz/fuzz_NAME.c), each with the folders of its seeds.
# Built as plain programs that run their corpora once (build/tests/
# test_fuzz_NAME: part of every test run, sanitized too), and with libFuzzer
# for make fuzz (build-fuzz/fuzz/fuzz_NAME).
FUZZ_NAMES := csv bpmn duration journal workbook xes evlog
FUZZ_SEEDS_csv      := tests/data/csv tests/data/hardening tests/fuzz/corpus/csv
FUZZ_SEEDS_bpmn     := tests/data/miwg tests/data/hardening tests/fuzz/corpus/bpmn
FUZZ_SEEDS_duration := tests/fuzz/corpus/duration
FUZZ_SEEDS_journal  := tests/fuzz/corpus/journal
FUZZ_SEEDS_workbook := tests/data/hardening tests/fuzz/corpus/workbook
FUZZ_SEEDS_xes      := tests/data/eventlogs/ugly tests/fuzz/corpus/xes
FUZZ_SEEDS_evlog    := tests/data/eventlogs/ugly tests/fuzz/corpus/evlog
FUZZ_RUNNERS := $(patsubst %,$(B)/tests/test_fuzz_%,$(FUZZ_NAMES))
FUZZ_BINS    := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_TIME    ?= 60
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRCS))

.PHONY: all run test test-deps test-unit test-san install uninstall clean deps bench check-layers tests \
        fuzz fuzz-bins
all: $(BIN)

$(BIN): $(CLI_OBJS) $(LAYER_LIBS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(LAYER_LIBS) $(LIBS)

$(B)/lib%.a:
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/libmodel.a: $(MODEL_OBJS)
$(B)/libstore.a: $(STORE_OBJS)
$(B)/libimport.a: $(IMPORT_OBJS)
$(B)/libexport.a: $(EXPORT_OBJS)
$(B)/libtui.a: $(TUI_OBJS)
$(B)/libexamples.a: $(EXAMPLES_OBJS)
$(LAYER_LIBS): $(B)/empty.o

$(B)/empty.o:
	@mkdir -p $(dir $@)
	echo 'extern int stepmap_empty_archive_; int stepmap_empty_archive_;' | $(CC) -x c -c -o $@ -

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Bundled data files (examples/*.csv) become C arrays: examples_<name>[] and
# examples_<name>_len, declared in examples/demo.h.
$(B)/gen/examples/%.csv.c: examples/%.csv
	@mkdir -p $(dir $@)
	sh tests/tools/embed.sh examples_$(subst .,_,$(basename $(notdir $<))) $< > $@
$(B)/gen/examples/%.csv.o: $(B)/gen/examples/%.csv.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LAYER_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LAYER_LIBS) $(CMOCKA_LIBS) $(LIBS)

$(B)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/standalone.c tests/fuzz/fuzz_common.c \
                        $(LAYER_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DFUZZ_CORPORA='"$(FUZZ_SEEDS_$*)"' $(ALL_LDFLAGS) -o $@ $< \
		tests/fuzz/standalone.c $(LAYER_LIBS) $(LIBS)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.c $(LAYER_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LAYER_LIBS) $(LIBS)

fuzz-bins: $(FUZZ_BINS)

print-fuzz-seeds-%:
	@echo $(FUZZ_SEEDS_$*)

# make fuzz: every target FUZZ_TIME seconds (nice), new inputs kept in
# build-fuzz/corpus/NAME, crashes in build-fuzz/crashes/.
fuzz:
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-bins
	@$(foreach n,$(FUZZ_NAMES),nice sh tests/fuzz/run.sh $(n) $(FUZZ_TIME) $(FUZZ_SEEDS_$(n)) &&) true

$(B)/bench/%: bench/%.c $(LAYER_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LAYER_LIBS) $(LIBS)

tests: $(BIN) $(UNIT_TESTS) $(FUZZ_RUNNERS) $(BENCH_BINS)

deps:
	@sh tests/tools/deps.sh

# What the tests need beyond the build: node and npm (bpmn.io's parser,
# bpmnlint, bpmn-js), chromium (bpmn-js draws the export), python3-simpy
# (the simulation benchmark's peer), LibreOffice Calc (the CSV opened in a
# real spreadsheet).
test-deps:
	@sh tests/tools/deps.sh --test

NPROC := $(shell nproc 2>/dev/null || echo 1)

run: deps
	@$(MAKE) --no-print-directory -j$(NPROC) all
	./$(BIN)

# make test: the whole suite, then the whole suite again under ASan + UBSan.
# The three builds use every core (NPROC).
test: test-deps
	@$(MAKE) --no-print-directory -j$(NPROC) tests
	@$(MAKE) --no-print-directory -j$(NPROC) SANITIZE=1 tests
	@if command -v clang >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory -j$(NPROC) FUZZ=1 fuzz-bins; fi
	@sh tests/run-all $(if $(filter 1,$(QUICK)),--quick,)

test-unit: tests
	@sh tests/run-all --unit-only

bench: $(BIN) $(BENCH_BINS)
	@sh bench/run-all

check-layers:
	@sh tests/tools/check-layers.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/stepmap
	awk '/^\.so tui\/keys\.man$$/ { while ((getline l < "tui/keys.man") > 0) print l; next } { print }' \
		stepmap.1 >$(DESTDIR)$(MANDIR)/man1/stepmap.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/stepmap.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/stepmap $(DESTDIR)$(MANDIR)/man1/stepmap.1

clean:
	rm -rf build build-san build-fuzz stepmap

-include $(shell find build build-san build-fuzz -name '*.d' 2>/dev/null)
