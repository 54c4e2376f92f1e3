# mk/musl.mk - the C parts of ipcprobe built against musl libc (Debian's musl-tools), into
# build-musl/.  Included by the Makefile, or on its own: `make -f mk/musl.mk musl`.
#
#   make musl        compile every C source with musl-gcc, link what can be linked, and print
#                    one line for each part that cannot be built with musl, saying why
#   make musl-test   the same, then the end-to-end tests against build-musl (tests/musl-check.sh)
#   make musl-clean  remove build-musl/
#
# musl-gcc sees only musl's headers and libraries.  This file lets it see exactly four more
# things, all in $(MUSL_BUILD)/include: the kernel's UAPI headers (linux/, asm/, asm-generic/:
# libc-neutral, what a musl distribution ships as linux-headers) and the headers of jansson,
# libyaml and cmocka.  The libraries: MUSL_JANSSON, MUSL_YAML and MUSL_CMOCKA name musl builds
# of them when there are some (e.g. on Alpine: -ljansson, -lyaml, -lcmocka).  Otherwise Debian's
# static archives libjansson.a and libyaml.a are linked: they are compiled against glibc's
# headers, but call only C and POSIX functions musl provides with the same ABI, plus four
# _FORTIFY_SOURCE checks that mk/musl_fortify.c supplies.  cmocka is installed only as a glibc
# shared library, which a musl program cannot load, so the unit tests are compiled, not linked.
# MUSL_KERNEL_HEADERS=no hides the kernel headers, to see what bare musl-gcc finds.

MUSL_CC      ?= musl-gcc
MUSL_BUILD   ?= build-musl$(if $(filter no,$(MUSL_KERNEL_HEADERS)),-bare)
MUSL_OPT     ?= -O2 -g
MUSL_KERNEL_HEADERS ?= yes
MUSL_MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
MUSL_SYSLIB  := /usr/lib/$(MUSL_MULTIARCH)
MUSL_INC     := $(MUSL_BUILD)/include
MUSL_GEN     := $(MUSL_BUILD)/gen
MUSL_CONFIG_H := $(MUSL_GEN)/have.h
MUSL_WARN    := -Wall -Wextra -Wformat=2 -Wshadow -Wno-missing-field-initializers
MUSL_CPPFLAGS := -D_GNU_SOURCE -I$(MUSL_GEN) -Iprobes/lib -Irunner -isystem $(MUSL_INC)
MUSL_CFLAGS  := -std=c11 $(MUSL_OPT) $(MUSL_WARN) -pthread
MUSL_LDFLAGS := -pthread

# The libraries: a musl build named by the caller, else Debian's glibc-built static archive
# (linked with the fortify shim), else none (and the parts needing it are reported, not built).
MUSL_SHIM    := $(MUSL_BUILD)/mk/musl_fortify.o
MUSL_FORTIFY :=
ifeq ($(origin MUSL_JANSSON),undefined)
MUSL_JANSSON := $(wildcard $(MUSL_SYSLIB)/libjansson.a)
MUSL_JANSSON_FROM := Debian's glibc-built $(MUSL_JANSSON) with mk/musl_fortify.c
MUSL_FORTIFY := $(if $(MUSL_JANSSON),$(MUSL_SHIM))
else
MUSL_JANSSON_FROM := MUSL_JANSSON=$(MUSL_JANSSON)
endif
ifeq ($(origin MUSL_YAML),undefined)
MUSL_YAML    := $(wildcard $(MUSL_SYSLIB)/libyaml.a)
MUSL_YAML_FROM := Debian's glibc-built $(MUSL_YAML) with mk/musl_fortify.c
MUSL_FORTIFY := $(or $(MUSL_FORTIFY),$(if $(MUSL_YAML),$(MUSL_SHIM)))
else
MUSL_YAML_FROM := MUSL_YAML=$(MUSL_YAML)
endif
MUSL_CMOCKA  ?=

# The parts, named as in the Makefile.
MUSL_PROBES_C := $(filter-out $(PROBES_CXX), \
		 $(or $(PROBES),$(patsubst probes/%.c,%,$(wildcard probes/*.c))))
MUSL_PROBES_CXX := $(patsubst probes/%.cc,%,$(wildcard probes/*.cc))
# A probe's parts, probes/NAME/*.c, as musl objects (the Makefile's probe_parts).
musl_parts    = $(patsubst probes/%.c,$(MUSL_BUILD)/probe-parts/%.o,$(wildcard probes/$(1)/*.c))
MUSL_LIB_OBJ := $(patsubst %.c,$(MUSL_BUILD)/%.o,$(wildcard probes/lib/*.c))
MUSL_RUNNER_OBJ := $(patsubst %.c,$(MUSL_BUILD)/%.o,$(filter-out runner/cli/main.c,$(wildcard runner/*/*.c)))
MUSL_UNIT_SRC := $(wildcard tests/unit/test_*.c)
MUSL_UNIT_OBJ := $(MUSL_UNIT_SRC:%.c=$(MUSL_BUILD)/%.o)
MUSL_UNIT_BINS := $(MUSL_UNIT_SRC:tests/unit/%.c=$(MUSL_BUILD)/tests/%)
MUSL_TPROBE_BINS := $(patsubst tests/probes/%.c,$(MUSL_BUILD)/tests/probes/%,$(wildcard tests/probes/*.c))
MUSL_PROBE_BINS := $(MUSL_PROBES_C:%=$(MUSL_BUILD)/probes/%) $(MUSL_BUILD)/probes/python
MUSL_RUNNER  := $(MUSL_BUILD)/ipcprobe

# What gets linked depends on which libraries are at hand; the rest is compiled only.
MUSL_LINKED  := $(if $(MUSL_JANSSON),$(MUSL_PROBE_BINS) $(MUSL_TPROBE_BINS)) \
		$(if $(and $(MUSL_JANSSON),$(MUSL_YAML)),$(MUSL_RUNNER)) \
		$(if $(and $(MUSL_JANSSON),$(MUSL_YAML),$(MUSL_CMOCKA)),$(MUSL_UNIT_BINS))
MUSL_COMPILED := $(MUSL_LIB_OBJ) $(MUSL_RUNNER_OBJ) $(MUSL_BUILD)/runner/cli/main.o \
		 $(MUSL_PROBES_C:%=$(MUSL_BUILD)/probes/%.o) \
		 $(foreach p,$(MUSL_PROBES_C),$(call musl_parts,$(p))) \
		 $(patsubst %.c,$(MUSL_BUILD)/%.o,$(wildcard tests/probes/*.c)) $(MUSL_UNIT_OBJ)

# One line for each part musl cannot build here: "<part>: not built with musl: <why> (<what to do>)".
MUSL_WHY_CXX := a C++ probe on Google Benchmark; musl-tools has no C++ compiler and this \
	machine's libstdc++ and libbenchmark are built for glibc (build it on a musl system, e.g. \
	Alpine with g++ and benchmark-dev)
MUSL_WHY_JANSSON := no jansson for musl ($(MUSL_SYSLIB)/libjansson.a missing) (install \
	libjansson-dev, or set MUSL_JANSSON to a musl build)
MUSL_WHY_YAML := no jansson or libyaml for musl (install libjansson-dev and libyaml-dev, or set \
	MUSL_JANSSON and MUSL_YAML to musl builds)
MUSL_WHY_CMOCKA := cmocka is installed only as a glibc shared library ($(MUSL_SYSLIB)/libcmocka.so, \
	no static archive), which a musl program cannot load (run them on a musl system with \
	MUSL_CMOCKA=-lcmocka, e.g. Alpine's cmocka-dev)

.PHONY: musl musl-check-cc musl-test musl-clean
musl: musl-check-cc
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) $(MUSL_COMPILED) $(MUSL_LINKED)
	@echo "== musl build in $(MUSL_BUILD)/: libc is musl ($(MUSL_CC)); \
	jansson: $(if $(MUSL_JANSSON),$(MUSL_JANSSON_FROM),none); \
	libyaml: $(if $(MUSL_YAML),$(MUSL_YAML_FROM),none)"
	@echo "built with musl: every C source compiled; linked: $(or $(sort $(notdir \
	$(filter-out %/python,$(MUSL_LINKED)))),nothing)$(if $(filter %/python,$(MUSL_LINKED)), \
	(python: its zipapp, zipped))"
	@$(foreach p,$(MUSL_PROBES_CXX),echo "$(p): not built with musl: $(MUSL_WHY_CXX)";)
	@$(if $(MUSL_JANSSON),,echo "probes: not built with musl: $(MUSL_WHY_JANSSON)";)
	@$(if $(and $(MUSL_JANSSON),$(MUSL_YAML)),, \
		echo "ipcprobe (runner): not built with musl: $(MUSL_WHY_YAML)";)
	@$(if $(MUSL_CMOCKA),,echo "unit tests: compiled, not linked with musl: $(MUSL_WHY_CMOCKA)";)

musl-check-cc:
	@command -v $(MUSL_CC) > /dev/null || \
		{ echo "musl: $(MUSL_CC) not found (apt-get install musl-tools, or set MUSL_CC)" >&2; exit 2; }

musl-test: musl
	@# MAKEFLAGS emptied: a test that runs make (test_portability) must not inherit CC=musl-gcc.
	@MAKEFLAGS= MAKELEVEL= MUSL_BUILD=$(MUSL_BUILD) sh tests/musl-check.sh \
		$(if $(MUSL_CMOCKA),$(MUSL_UNIT_BINS))

musl-clean:
	rm -rf $(MUSL_BUILD)

# The headers musl-gcc may see besides musl's own: links, so nothing is copied.
$(MUSL_INC)/.stamp: mk/musl.mk
	@rm -rf $(MUSL_INC) && mkdir -p $(MUSL_INC)
ifeq ($(MUSL_KERNEL_HEADERS),yes)
	@ln -s /usr/include/linux /usr/include/asm-generic $(MUSL_INC)/
	@ln -s /usr/include/$(MUSL_MULTIARCH)/asm $(MUSL_INC)/asm
endif
	@for h in jansson.h jansson_config.h yaml.h cmocka.h; do \
		[ -e /usr/include/$$h ] && ln -s /usr/include/$$h $(MUSL_INC)/$$h; done; true
	@touch $@

$(MUSL_CONFIG_H): probes/lib/features/configure.sh $(wildcard probes/lib/features/*.c) \
		$(MUSL_INC)/.stamp
	@mkdir -p $(@D)
	@sh probes/lib/features/configure.sh $@ $(MUSL_CC) $(MUSL_CPPFLAGS) $(MUSL_CFLAGS)

$(MUSL_BUILD)/%.o: %.c $(MUSL_CONFIG_H)
	@mkdir -p $(@D)
	$(MUSL_CC) $(MUSL_CPPFLAGS) $(MUSL_CFLAGS) -MMD -MP -c -o $@ $<

$(MUSL_BUILD)/probe-parts/%.o: probes/%.c $(MUSL_CONFIG_H)
	@mkdir -p $(@D)
	$(MUSL_CC) $(MUSL_CPPFLAGS) $(MUSL_CFLAGS) -MMD -MP -c -o $@ $<

# The shim is built for musl but stands in for glibc: no -D_GNU_SOURCE or project headers.
$(MUSL_SHIM): mk/musl_fortify.c
	@mkdir -p $(@D)
	$(MUSL_CC) -std=c11 $(MUSL_OPT) $(MUSL_WARN) -c -o $@ $<

$(MUSL_BUILD)/libprobe.a: $(MUSL_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(MUSL_BUILD)/librunner.a: $(MUSL_RUNNER_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The runner knows the probes it was built with: here, the ones musl can build.
$(MUSL_BUILD)/runner/catalog/probes.o: MUSL_CPPFLAGS += -DIPCPROBE_PROBES='"$(MUSL_PROBES_C) python"'
$(MUSL_BUILD)/runner/catalog/probes.o: mk/musl.mk

$(foreach p,$(MUSL_PROBES_C),$(eval $(MUSL_BUILD)/probes/$(p): $(call musl_parts,$(p))))

$(MUSL_BUILD)/probes/%: $(MUSL_BUILD)/probes/%.o $(MUSL_BUILD)/libprobe.a $(MUSL_FORTIFY)
	$(MUSL_CC) $(MUSL_LDFLAGS) -o $@ $(filter-out $(MUSL_SHIM) %.a,$^) $(filter %.a,$^) \
		$(MUSL_JANSSON) $(MUSL_FORTIFY) -lm

$(MUSL_BUILD)/probes/python: probes/python/make_zipapp.py probes/python/__main__.py \
		$(wildcard probes/python/pyprobe/*.py probes/python/pyprobe/*/*.py)
	@mkdir -p $(@D)
	python3 probes/python/make_zipapp.py $@

$(MUSL_RUNNER): $(MUSL_BUILD)/runner/cli/main.o $(MUSL_BUILD)/librunner.a \
		$(MUSL_BUILD)/libprobe.a $(MUSL_FORTIFY)
	$(MUSL_CC) $(MUSL_LDFLAGS) -o $@ $(filter-out $(MUSL_SHIM),$^) $(MUSL_YAML) $(MUSL_JANSSON) \
		$(MUSL_FORTIFY) -lm

$(MUSL_BUILD)/tests/probes/%: $(MUSL_BUILD)/tests/probes/%.o $(MUSL_BUILD)/libprobe.a \
		$(MUSL_FORTIFY)
	$(MUSL_CC) $(MUSL_LDFLAGS) -o $@ $(filter-out $(MUSL_SHIM),$^) $(MUSL_JANSSON) $(MUSL_FORTIFY) -lm

$(MUSL_BUILD)/tests/%: $(MUSL_BUILD)/tests/unit/%.o $(MUSL_BUILD)/librunner.a \
		$(MUSL_BUILD)/libprobe.a $(MUSL_FORTIFY)
	$(MUSL_CC) $(MUSL_LDFLAGS) -o $@ $(filter-out $(MUSL_SHIM),$^) $(MUSL_CMOCKA) $(MUSL_YAML) \
		$(MUSL_JANSSON) $(MUSL_FORTIFY) -lm

-include $(shell find $(MUSL_BUILD) -name '*.d' 2>/dev/null)
.SECONDARY:
