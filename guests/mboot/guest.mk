# SPDX-License-Identifier: MIT
# mboot: a 32-bit Multiboot 1 guest (ELF32 at 1 MiB) and its test module.
# Included by the top-level Makefile; builds outside the 64-bit guest rules.

MBOOT_CFLAGS := -target i386-unknown-none-elf -m32 -ffreestanding -fno-pic \
                -mno-sse -mno-mmx -mno-80387 -O2 $(WARN) -std=c11 \
                -fno-stack-protector
MBOOT_OBJ    := $(BUILD)/guests/obj/mboot/start.o $(BUILD)/guests/obj/mboot/mboot.o

$(BUILD)/guests/obj/mboot/mboot.o: guests/mboot/mboot.c guests/mboot/guest.mk
	@mkdir -p $(@D)
	$(CC) $(MBOOT_CFLAGS) -MMD -c $< -o $@
$(BUILD)/guests/obj/mboot/start.o: guests/mboot/start.S guests/mboot/guest.mk
	@mkdir -p $(@D)
	$(CC) $(MBOOT_CFLAGS) -c $< -o $@
$(BUILD)/guests/mboot.elf: $(MBOOT_OBJ) guests/mboot/mboot.ld
	$(LD) -m elf_i386 -nostdlib -static -z max-page-size=4096 \
	    -T guests/mboot/mboot.ld $(MBOOT_OBJ) -o $@
$(BUILD)/guests/mboot-module.txt: guests/mboot/module.txt
	@mkdir -p $(@D)
	cp $< $@

EXTRA_GUESTS += $(BUILD)/guests/mboot.elf $(BUILD)/guests/mboot-module.txt
