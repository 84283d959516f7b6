# SPDX-License-Identifier: MIT
# flat: a raw 16-bit binary for format = flat, loaded and entered at 0x7C00.
# Included by the top-level Makefile; assembled by clang, linked by ld.lld
# at 0x7C00, then stripped to its bytes by objcopy.

$(BUILD)/guests/obj/flat/flat.o: guests/flat/flat.S guests/flat/guest.mk
	@mkdir -p $(@D)
	$(CC) -target i386-unknown-none-elf -m32 -c $< -o $@
$(BUILD)/guests/obj/flat/flat.elf: $(BUILD)/guests/obj/flat/flat.o
	$(LD) -m elf_i386 -nostdlib -static -Ttext=0x7c00 -e _start $< -o $@
$(BUILD)/guests/flat.bin: $(BUILD)/guests/obj/flat/flat.elf
	objcopy -O binary -j .text $< $@

EXTRA_GUESTS += $(BUILD)/guests/flat.bin
