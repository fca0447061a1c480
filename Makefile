# SPDX-License-Identifier: MIT
#
# One non-recursive GNU Makefile for bf.
#
#   make              libbf.a, the shim library and every tool in tools/
#   make check        deps (if missing), then unit tests, CLI tests, doc checks,
#                     a short fuzz run, and the same tests once more under
#                     AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench        benchmarks (bench/run.sh), figures on stdout
#   make fuzz         the record-reader fuzzer, FUZZ_SECONDS long (default 600)
#   make deps         install the Debian packages (scripts/deps.sh)
#   make install PREFIX=/usr/local DESTDIR=
#   make clean
#
# Sources are discovered, so adding a module or a tool needs no edit here:
#   lib/*.c                 -> $(BUILD)/libbf.a
#   shim/*.cpp              -> $(BUILD)/libbftorch.a (C++, libtorch)
#   tools/bf-x.c            -> $(BUILD)/bin/bf-x
#   tools/bf-x/*.c          -> $(BUILD)/bin/bf-x (a tool in a folder)
#   tests/unit/check_*.c    -> $(BUILD)/tests/unit-tests (one Check suite each)
#   tests/unit/torch/*.c    -> $(BUILD)/tests/unit-tests-torch (run with CK_FORK=no)
#   bench/*.c               -> $(BUILD)/bench/*
#
# User CFLAGS/LDFLAGS are added to the required flags, never replace them.
# V=1 shows the commands.  SANITIZE=1 builds with ASan + UBSan.

VERSION := 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
BUILD ?= build

CC ?= cc
CXX ?= g++
CFLAGS ?= -O2 -g
CXXFLAGS ?= -O2 -g
LDFLAGS ?=

# ---- flags ------------------------------------------------------------------

WARN := -Wall -Wextra -Werror -Wvla -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wshadow -Wpointer-arith -Wno-missing-field-initializers \
	-Wno-format-truncation
PKGS := libcurl jansson zlib libwebsockets inih libzip
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) check 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

SAN_FLAGS :=
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
endif

BF_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -DBF_VERSION='"$(VERSION)"' \
	-Ilib -Ishim
ALL_CFLAGS := -std=c11 $(BF_CPPFLAGS) $(WARN) $(PKG_CFLAGS) $(SAN_FLAGS) \
	$(CFLAGS)
ALL_LDFLAGS := $(SAN_FLAGS) $(LDFLAGS)
LIBS := $(PKG_LIBS) -lmbedcrypto -lm

TORCH_INC := -isystem /usr/include/torch/csrc/api/include
ALL_CXXFLAGS := -std=c++17 -fPIC $(BF_CPPFLAGS) -Wall -Wextra -Werror \
	$(TORCH_INC) $(SAN_FLAGS) $(CXXFLAGS)
TORCH_LIBS := -ltorch -ltorch_cpu -lc10 -lstdc++

ifeq ($(V),1)
Q :=
QUIET_CC =
QUIET_CXX =
QUIET_AR =
QUIET_LINK =
QUIET_GEN =
else
Q := @
QUIET_CC = @echo '   CC     $@';
QUIET_CXX = @echo '   CXX    $@';
QUIET_AR = @echo '   AR     $@';
QUIET_LINK = @echo '   LINK   $@';
QUIET_GEN = @echo '   GEN    $@';
endif

# ---- sources ----------------------------------------------------------------

LIB_SRC := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SHIM_SRC := $(sort $(wildcard shim/*.cpp))
SHIM_OBJ := $(SHIM_SRC:%.cpp=$(BUILD)/obj/%.o)

TOOL_FILES := $(sort $(wildcard tools/bf-*.c))
TOOL_DIRS := $(sort $(patsubst %/,%,$(wildcard tools/bf-*/)))
TOOLS := $(patsubst tools/%.c,%,$(TOOL_FILES)) $(patsubst tools/%,%,$(TOOL_DIRS))
# Tools that call the shim link libtorch; the others never do.
TORCH_TOOLS := $(filter bf-infer,$(TOOLS))
TOOL_BINS := $(TOOLS:%=$(BUILD)/bin/%)

UNIT_SRC := $(sort $(wildcard tests/unit/check_*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/tests/unit/main.o
UNIT_TORCH_SRC := $(sort $(wildcard tests/unit/torch/*.c))
UNIT_TORCH_OBJ := $(UNIT_TORCH_SRC:%.c=$(BUILD)/obj/%.o)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

SCRIPTS := $(sort $(wildcard scripts/bf-*))
MAN1 := $(sort $(wildcard man/*.1))
MAN7 := $(sort $(wildcard man/*.7))

# ---- top-level targets ------------------------------------------------------

.PHONY: all build check check-build check-run check-unit check-cli \
	check-docs check-san check-fuzz deps deps-if-needed bench fuzz \
	install uninstall clean demo style lint FORCE

all: deps-if-needed
	@$(MAKE) --no-print-directory build

build: $(BUILD)/libbf.a $(if $(TORCH_TOOLS),$(BUILD)/libbftorch.a) $(TOOL_BINS)

deps:
	scripts/deps.sh install

# Install the Debian packages only when some are missing, so `make` and
# `make check` work on a fresh Debian 12 machine and cost nothing afterwards.
deps-if-needed:
	@scripts/deps.sh check 2>/dev/null || scripts/deps.sh install

# Each stage re-reads the Makefile so pkg-config sees freshly installed deps.
check: deps-if-needed
	@$(MAKE) --no-print-directory check-run
	@$(MAKE) --no-print-directory check-san

check-build: build $(BUILD)/tests/unit-tests \
	$(if $(UNIT_TORCH_SRC),$(BUILD)/tests/unit-tests-torch) $(BENCH_BINS)

check-run: check-build
	@$(MAKE) --no-print-directory check-unit check-cli check-docs check-fuzz

check-unit: $(BUILD)/tests/unit-tests \
	$(if $(UNIT_TORCH_SRC),$(BUILD)/tests/unit-tests-torch)
	$(BUILD)/tests/unit-tests
ifneq ($(UNIT_TORCH_SRC),)
	CK_FORK=no $(BUILD)/tests/unit-tests-torch
endif

check-cli: build $(BENCH_BINS)
	BF_BUILD=$(abspath $(BUILD)) tests/cli/run-all.sh

check-docs: build
	BF_BUILD=$(abspath $(BUILD)) scripts/check-docs.sh

# The sanitizer pass: the same unit and CLI tests, built into $(BUILD)/san.
check-san:
	@echo '*** the same tests under AddressSanitizer + UndefinedBehaviorSanitizer'
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/san SANITIZE=1 \
		check-build
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory BUILD=$(BUILD)/san SANITIZE=1 \
		check-unit check-cli

# ---- fuzzing (clang + libFuzzer) --------------------------------------------

FUZZ_SECONDS ?= 600
FUZZ_CHECK_SECONDS ?= 15
FUZZ_CC := clang
FUZZ_FLAGS := -std=c11 $(BF_CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined \
	$(PKG_CFLAGS)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(QUIET_LINK)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(LIBS)

check-fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		echo "   FUZZ   $$f ($(FUZZ_CHECK_SECONDS) s)"; \
		mkdir -p $(BUILD)/fuzz/corpus-$$(basename $$f); \
		$$f -max_total_time=$(FUZZ_CHECK_SECONDS) -max_len=4096 \
		    -print_final_stats=0 -close_fd_mask=3 \
		    $(BUILD)/fuzz/corpus-$$(basename $$f) tests/fuzz/seeds \
		    >$(BUILD)/fuzz/$$(basename $$f).log 2>&1 || \
		    { tail -40 $(BUILD)/fuzz/$$(basename $$f).log; exit 1; }; \
	done

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$(basename $$f); \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		    $(BUILD)/fuzz/corpus-$$(basename $$f) tests/fuzz/seeds || exit 1; \
	done

# ---- benchmarks, demo -------------------------------------------------------

bench: build $(BENCH_BINS)
	BF_BUILD=$(abspath $(BUILD)) bench/run.sh

demo: build
	PATH=$(abspath $(BUILD))/bin:$(abspath scripts):$$PATH scripts/bf-demo

# ---- rules ------------------------------------------------------------------

# Rebuild everything when the compiler or the flags change (git's GIT-CFLAGS).
FLAGS_SIG := $(CC) $(ALL_CFLAGS) | $(CXX) $(ALL_CXXFLAGS) | $(ALL_LDFLAGS)
$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_SIG)' | cmp -s - $@ || echo '$(FLAGS_SIG)' >$@

# Test suites are found by name, not declared in headers.
$(BUILD)/obj/tests/%.o: ALL_CFLAGS += -Wno-missing-prototypes

$(BUILD)/obj/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/%.o: %.cpp $(BUILD)/.flags
	@mkdir -p $(@D)
	$(QUIET_CXX)$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libbf.a: $(LIB_OBJ)
	@rm -f $@
	$(QUIET_AR)ar rcs $@ $^

$(BUILD)/libbftorch.a: $(SHIM_OBJ)
	@rm -f $@
	$(QUIET_AR)ar rcs $@ $^

# A tool links only what it needs: libbf.a always, the shim and libtorch
# (with the C++ runtime) only for $(TORCH_TOOLS).
define TOOL_template
$(BUILD)/bin/$(1): $(2) $(BUILD)/libbf.a $(if $(filter $(1),$(TORCH_TOOLS)),$(BUILD)/libbftorch.a)
	@mkdir -p $$(@D)
	$$(QUIET_LINK)$$(CC) $$(ALL_LDFLAGS) -o $$@ $(2) \
		$(if $(filter $(1),$(TORCH_TOOLS)),$(BUILD)/libbftorch.a) \
		$(BUILD)/libbf.a $$(LIBS) \
		$(if $(filter $(1),$(TORCH_TOOLS)),$$(TORCH_LIBS)) -lpthread
endef
$(foreach t,$(patsubst tools/%.c,%,$(TOOL_FILES)),\
	$(eval $(call TOOL_template,$(t),$(BUILD)/obj/tools/$(t).o)))
$(foreach d,$(TOOL_DIRS),\
	$(eval $(call TOOL_template,$(patsubst tools/%,%,$(d)),\
	$(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard $(d)/*.c)))))

# The unit-test runner registers every suite found in tests/unit/check_*.c:
# check_foo.c must define `Suite *foo_suite(void)`.
$(BUILD)/gen/suites.h: $(BUILD)/.flags FORCE
	@mkdir -p $(@D)
	@{ for f in $(UNIT_SRC:tests/unit/check_%.c=%); do \
		echo "BF_SUITE($$f)"; done; } | cmp -s - $@ || \
	{ for f in $(UNIT_SRC:tests/unit/check_%.c=%); do \
		echo "BF_SUITE($$f)"; done; } >$@

$(BUILD)/obj/tests/unit/main.o: tests/unit/main.c $(BUILD)/gen/suites.h
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -I$(BUILD)/gen -MMD -MP -c -o $@ $<

$(BUILD)/tests/unit-tests: $(UNIT_OBJ) $(BUILD)/libbf.a
	@mkdir -p $(@D)
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libbf.a \
		$(LIBS) $(CHECK_LIBS) -lpthread

$(BUILD)/tests/unit-tests-torch: $(UNIT_TORCH_OBJ) $(BUILD)/libbftorch.a $(BUILD)/libbf.a
	@mkdir -p $(@D)
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_TORCH_OBJ) \
		$(BUILD)/libbftorch.a $(BUILD)/libbf.a $(LIBS) $(CHECK_LIBS) \
		$(TORCH_LIBS) -lpthread

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(BUILD)/libbf.a
	@mkdir -p $(@D)
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libbf.a $(LIBS) -lpthread

# ---- install ----------------------------------------------------------------

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(BINDIR)
	$(if $(SCRIPTS),install -m 755 $(SCRIPTS) $(DESTDIR)$(BINDIR))
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1)
	$(if $(MAN7),install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7)

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) \
		$(SCRIPTS:scripts/%=$(DESTDIR)$(BINDIR)/%) \
		$(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
		$(MAN7:man/%=$(DESTDIR)$(MANDIR)/man7/%)

clean:
	rm -rf $(BUILD)

# Developer helpers: show a clang-format diff; shellcheck the scripts.
style:
	clang-format --dry-run -Werror lib/*.[ch] tools/*.c

lint:
	shellcheck -x tests/cli/*.sh scripts/*.sh scripts/bf-*

FORCE:

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Keep objects that pattern rules made (bench objects would be removed).
.SECONDARY:
