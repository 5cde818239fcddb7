# container: a minimal init and container launcher. See README.md.

VERSION   = 0.1.0
PREFIX    = /usr/local
MANPREFIX = $(PREFIX)/share/man
BUILD     = build

CC        = musl-gcc
CPPFLAGS  = -DVERSION=\"$(VERSION)\" -I$(BUILD)/include -I$(BUILD)/capng/include
# A static binary is not position-independent (ELF type EXEC): code made
# for PIE (Debian's default) would only be longer, and its const tables of
# pointers would sit in writable memory until relro.
CFLAGS    = -std=c11 -Os -Wall -Wextra -fstack-protector-strong -fno-pie \
            -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables
LDFLAGS   = -s -static -no-pie -Wl,--gc-sections -Wl,-z,relro -Wl,-z,now -Wl,-z,noseparate-code
LDLIBS    = -L$(BUILD)/capng/lib -lcap-ng
# CONFIG: a header read before config.h (tests/configs/*.h), or empty.
CONFIG    =

ifneq ($(CONFIG),)
CPPFLAGS += -include $(CONFIG)
endif

all: container

options:
	@echo "container build options:"
	@echo "CC       = $(CC)"
	@echo "CFLAGS   = $(CFLAGS)"
	@echo "CPPFLAGS = $(CPPFLAGS)"
	@echo "LDFLAGS  = $(LDFLAGS)"
	@echo "LDLIBS   = $(LDLIBS)"
	@echo "CONFIG   = $(CONFIG)"

deps: $(BUILD)/.deps
$(BUILD)/.deps: tools/deps.sh
	tools/deps.sh build
	tools/deps.sh headers
	tools/deps.sh capng
	@touch $@

# The syscall table seccomp profiles are resolved with, from the kernel headers.
SYSCALLS  = $(BUILD)/include/syscall_names.h
$(SYSCALLS): tools/syscalls.sh $(BUILD)/.deps
	tools/syscalls.sh $(BUILD)/include/asm/unistd_64.h $@

container: container.c config.h $(CONFIG) $(BUILD)/.deps $(SYSCALLS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ container.c $(LDFLAGS) $(LDLIBS)

# Every configuration the tests name, built with warnings as errors.
configs: $(BUILD)/.deps $(SYSCALLS)
	@for cfg in tests/configs/*.h; do \
		n=$$(basename $$cfg .h); \
		echo "  CC container-$$n"; \
		$(CC) $(CPPFLAGS) -include $$cfg $(CFLAGS) -Werror -o $(BUILD)/container-$$n \
			container.c $(LDFLAGS) $(LDLIBS) || exit 1; \
	done

test: container configs
	tools/deps.sh test
	tests/run

demo: container
	tools/deps.sh test
	initramfs/demo.sh

# make appliance IMAGE=SRC [OUT=DIR]: an OCI image as a bootable appliance.
OUT = build/appliance-out
appliance: container
	tools/deps.sh test
	@test -n "$(IMAGE)" || { echo "usage: make appliance IMAGE=SRC [OUT=DIR] (SRC: containers-storage:REF, oci-archive:FILE, ...)" >&2; exit 2; }
	initramfs/appliance.sh "$(IMAGE)" "$(OUT)"

bench: container configs
	tools/deps.sh test
	tools/deps.sh bench
	tests/bench.sh

fuzz: $(BUILD)/.deps $(SYSCALLS)
	tools/deps.sh fuzz
	tests/fuzz/run.sh

install: container
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	cp -f container $(DESTDIR)$(PREFIX)/bin/container
	chmod 755 $(DESTDIR)$(PREFIX)/bin/container
	sed "s/VERSION/$(VERSION)/g" < container.1 > $(DESTDIR)$(MANPREFIX)/man1/container.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/container.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/container $(DESTDIR)$(MANPREFIX)/man1/container.1

clean:
	rm -f container
	rm -rf $(BUILD)/container-* $(BUILD)/unit $(BUILD)/vm/initramfs* $(SYSCALLS)

distclean:
	rm -f container
	rm -rf $(BUILD)

syscalls: $(SYSCALLS)

.PHONY: all options deps syscalls configs test demo appliance bench fuzz install uninstall clean distclean
