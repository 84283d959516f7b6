# SPDX-License-Identifier: MIT
# Build, image, run and test the hypervisor.  `make help` lists targets.

BUILD    ?= build
EMU      ?= bochs
CPUS     ?= 3
MEM      ?= 1024
CONFIG   ?= guests/demo.cfg
T        ?=

CC       := clang
LD       := ld.lld
VERSION  := 0.1.0-$(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
WARN     := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
            -Wstrict-prototypes -Wvla
COMMON   := -std=c11 -O2 -g $(WARN) -ffreestanding -fno-stack-protector \
            -mno-red-zone -fno-common

# --- hypervisor kernel: freestanding ELF, higher half, linked by ld.lld
KCFLAGS  := $(COMMON) -target x86_64-unknown-none-elf -mcmodel=kernel \
            -fomit-frame-pointer -fno-strict-aliasing -fno-pic -mno-sse -mno-mmx -mno-80387 -isystem kernel/lib/libc \
            -Iarch/x86/include -DHV_VERSION='"$(VERSION)"'
# Link-time optimisation: the device models inline into their port and
# MSR handlers across files (make bench: the PIT read went 314 -> 298).
KCFLAGS  += -flto
KSRC     := $(wildcard kernel/*.c kernel/lib/*.c kernel/mm/*.c kernel/vm/*.c \
              kernel/sched/*.c \
              arch/x86/*.c arch/x86/vmx/*.c drivers/host/*.c drivers/virt/*.c) \
            $(wildcard arch/x86/*.S arch/x86/vmx/*.S)
KOBJ     := $(patsubst %,$(BUILD)/kernel/%.o,$(KSRC))

# --- UEFI loader: GNU-EFI library route (clang, GNU ld, objcopy)
EFIINC   := /usr/include/efi
EFILIB   := /usr/lib
ECFLAGS  := $(COMMON) -fpic -fshort-wchar -DGNU_EFI_USE_MS_ABI -DGNU_EFI_USE_EXTERNAL_STDARG \
            -I$(EFIINC) -I$(EFIINC)/x86_64 -DHV_VERSION='"$(VERSION)"' \
            -Wno-strict-prototypes
# Shared pure code; memcpy/memset come from GNU-EFI's libefi.
ESRC     := $(wildcard boot/*.c boot/*.S) kernel/config.c kernel/elf.c \
            kernel/lib/fmt.c kernel/lib/string.c kernel/mm/memmap.c
EOBJ     := $(patsubst %,$(BUILD)/efi/%.o,$(ESRC))

# --- test guests: freestanding ELF at 1 MiB
GCFLAGS  := $(COMMON) -target x86_64-unknown-none-elf -fno-pic \
            -mno-sse -mno-mmx -mno-80387 -isystem kernel/lib/libc
GLIBSRC  := guests/lib/runtime.c guests/lib/start.S guests/lib/trap.c \
            guests/lib/trap.S kernel/lib/fmt.c \
            kernel/lib/mem.c kernel/lib/string.c
GUESTS   := $(notdir $(patsubst %/main.c,%,$(wildcard guests/*/main.c)))
GELFS    := $(patsubst %,$(BUILD)/guests/%.elf,$(GUESTS))

# --- host unit tests: ASan + UBSan
UCFLAGS  := -std=c11 -g -O1 $(WARN) -fsanitize=address,undefined \
            -fno-sanitize-recover=all -Ikernel -Iboot -Itests/unit \
            -Iarch/x86/vmx -Iarch/x86/include
UNIT_config := kernel/config.c kernel/lib/fmt.c
UNIT_elf    := kernel/elf.c kernel/lib/fmt.c
UNIT_memmap := kernel/mm/memmap.c
UNIT_frame  := kernel/mm/frame.c kernel/mm/memmap.c
UNIT_fmt    := kernel/lib/fmt.c
UNIT_cmdline := kernel/lib/cmdline.c
UNIT_acpi   := drivers/host/acpi.c
UNIT_ept    := arch/x86/vmx/ept.c
UNIT_decode := arch/x86/vmx/decode.c kernel/lib/fmt.c
UNIT_gwalk  := arch/x86/vmx/gwalk.c kernel/lib/fmt.c
UNIT_xstate := arch/x86/vmx/xstate.c
UNIT_layout := kernel/vm/layout.c
UNIT_emul   := kernel/vm/emul.c
UNIT_vuart  := drivers/virt/vuart.c
UNIT_vpic   := drivers/virt/vpic.c
UNIT_vpit   := drivers/virt/vpit.c
UNIT_vpci   := drivers/virt/vpci.c
UNIT_rtc_time := drivers/host/rtc_time.c
UNIT_vrtc   := drivers/virt/vrtc.c
UNIT_vioapic := drivers/virt/vioapic.c
UNIT_vlapic := drivers/virt/vlapic.c
UNIT_vacpi  := drivers/virt/vacpi.c
UNIT_focus  := kernel/vm/focus.c
UNIT_termfilter := kernel/vm/termfilter.c
SCHED_SRC   := kernel/sched/sched.c kernel/sched/static.c kernel/sched/rr.c \
               kernel/sched/credit.c kernel/sched/edf.c kernel/lib/fmt.c
UNIT_sched  := $(SCHED_SRC)
UNIT_credit := $(SCHED_SRC)
UNIT_edf    := $(SCHED_SRC)
UNIT_stats  := kernel/sched/stats.c kernel/lib/fmt.c
UNIT_loader := kernel/vm/loader_elf.c kernel/vm/layout.c kernel/elf.c \
               kernel/lib/fmt.c
UNIT_multiboot := kernel/vm/loader_multiboot.c kernel/vm/layout.c \
                  kernel/lib/fmt.c
UNIT_flat   := kernel/vm/loader_flat.c kernel/vm/layout.c kernel/lib/fmt.c
UNIT_linux  := kernel/vm/loader_linux.c kernel/vm/loader_elf.c \
               kernel/vm/layout.c kernel/elf.c kernel/lib/fmt.c
UNIT_compute := guests/compute/work.c
UNITS    := $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c))
UBINS    := $(patsubst %,$(BUILD)/unit/test_%,$(UNITS))

.PHONY: linux all image run test unit check bench deps clean help sim
.DEFAULT_GOAL := all
# Guests built another way (other modes, raw binaries) add themselves to
# EXTRA_GUESTS in a fragment next to their sources.
EXTRA_GUESTS :=
include $(wildcard guests/*/guest.mk)

all: $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(GELFS) $(EXTRA_GUESTS) \
     $(BUILD)/compute.efi $(BUILD)/linuxboot.efi

help:
	@echo "make            build loader, kernel and guests into $(BUILD)/"
	@echo "make image      $(BUILD)/hv.img: GPT disk with the EFI system partition"
	@echo "make run        boot it (EMU=bochs|qemu|kvm CPUS=N MEM=MiB CONFIG=file)"
	@echo "make test       unit and integration tests (T=name: one scenario)"
	@echo "make unit       host unit tests only"
	@echo "make check      formatting and static analysis"
	@echo "make bench      exit round trips and guest vs native speed (Bochs)"
	@echo "make deps       install the Debian packages everything needs"
	@echo "make linux      fetch Debian's kernel, build the test initramfs ($(BUILD)/linux)"

$(BUILD)/kernel/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -MMD -c $< -o $@
$(BUILD)/kernel/%.S.o: %.S
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/kernel.elf: $(KOBJ) arch/x86/kernel.ld
	$(LD) -nostdlib -static -z max-page-size=4096 -T arch/x86/kernel.ld \
	    $(KOBJ) -o $@

$(BUILD)/efi/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ECFLAGS) -MMD -c $< -o $@
$(BUILD)/efi/%.S.o: %.S
	@mkdir -p $(@D)
	$(CC) $(ECFLAGS) -c $< -o $@
$(BUILD)/loader.so: $(EOBJ)
	ld -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFILIB)/elf_x86_64_efi.lds \
	    $(EFILIB)/crt0-efi-x86_64.o $(EOBJ) -L$(EFILIB) -lefi -lgnuefi -o $@
$(BUILD)/BOOTX64.EFI: $(BUILD)/loader.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	    -j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
	    --subsystem=10 $< $@

$(BUILD)/guests/obj/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(GCFLAGS) -MMD -c $< -o $@
$(BUILD)/guests/obj/%.S.o: %.S
	@mkdir -p $(@D)
	$(CC) $(GCFLAGS) -c $< -o $@
GLIBOBJ := $(patsubst %,$(BUILD)/guests/obj/%.o,$(GLIBSRC))
# A guest is every .c and .S in its folder but native.c (an EFI build).
guest_objs = $(patsubst %,$(BUILD)/guests/obj/%.o,$(filter-out %/native.c,\
               $(wildcard guests/$(1)/*.c guests/$(1)/*.S)))

.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/guests/%.elf: $$(call guest_objs,$$*) $(GLIBOBJ) guests/lib/guest.ld
	$(LD) -nostdlib -static -T guests/lib/guest.ld $(filter %.o,$^) -o $@

# compute.efi: the compute guest's workload as a native UEFI application,
# built like the loader, to compare run times (make bench).
NATIVE_SRC := guests/compute/native.c guests/compute/work.c
$(BUILD)/native.so: $(patsubst %,$(BUILD)/efi/%.o,$(NATIVE_SRC))
	ld -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFILIB)/elf_x86_64_efi.lds \
	    $(EFILIB)/crt0-efi-x86_64.o $^ -L$(EFILIB) -lefi -lgnuefi -o $@
$(BUILD)/compute.efi: $(BUILD)/native.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	    -j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
	    --subsystem=10 $< $@
# linuxboot.efi: Debian's kernel booted natively, as an EFI stub (bench).
$(BUILD)/linuxboot.so: $(BUILD)/efi/guests/linux/native.c.o
	ld -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFILIB)/elf_x86_64_efi.lds \
	    $(EFILIB)/crt0-efi-x86_64.o $^ -L$(EFILIB) -lefi -lgnuefi -o $@
$(BUILD)/linuxboot.efi: $(BUILD)/linuxboot.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	    -j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
	    --subsystem=10 $< $@
$(BUILD)/unit/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $$(UNIT_$$*)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) $< $(UNIT_$*) -o $@

image: $(BUILD)/hv.img
$(BUILD)/hv.img: all $(CONFIG) scripts/mkimage
	scripts/mkimage -o $@ -c $(CONFIG) -b $(BUILD)

deps:
	scripts/deps

run: 
	@scripts/deps --if-missing
	$(MAKE) linux image
	scripts/run --emu $(EMU) --cpus $(CPUS) --mem $(MEM) --interactive \
	    --timeout 0 $(BUILD)/hv.img

unit: $(UBINS) $(BUILD)/sim
	scripts/test --unit-only --build $(BUILD)

# The scheduler simulator: kernel/sched as it is, on the host.
$(BUILD)/sim: scripts/sim/sim.c $(SCHED_SRC) kernel/sched/stats.c
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) $< $(SCHED_SRC) kernel/sched/stats.c -o $@
sim: $(BUILD)/sim

test:
	@scripts/deps --if-missing
	$(MAKE) all $(UBINS) $(BUILD)/sim linux
	scripts/test --build $(BUILD) $(if $(T),--only $(T))

# Debian's kernel and the test initramfs (scripts/linux-assets): fetched
# once, rebuilt when the init script changes.
linux: $(BUILD)/linux/initramfs.gz
$(BUILD)/linux/initramfs.gz: guests/linux/init scripts/linux-assets \
                             $(BUILD)/linux/hvtsc
	scripts/linux-assets --out $(BUILD)/linux --hvtsc $(BUILD)/linux/hvtsc
# hvtsc: the initramfs's TSC reader, a static Linux program without libc.
$(BUILD)/linux/hvtsc: guests/linux/hvtsc.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 $(WARN) -target x86_64-linux-gnu -ffreestanding \
	    -fno-pic -fno-stack-protector -static -nostdlib -fuse-ld=lld $< -o $@

check:
	scripts/check

bench:
	@scripts/deps --if-missing
	$(MAKE) all linux
	scripts/bench --build $(BUILD)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
