# dd, od, hexdump, xxd.
dd if=/dev/zero bs=512 count=4 2>/dev/null | wc -c
printf 'abcdefghij' > f
dd if=f bs=1 skip=3 count=4 2>/dev/null; echo
dd if=f of=g bs=2 count=2 2>/dev/null; cat g; echo
printf 'XY' | dd of=f bs=1 seek=2 conv=notrunc 2>/dev/null; cat f; echo
dd if=f conv=ucase 2>/dev/null; echo
dd if=/dev/zero of=sparse bs=1 count=1 seek=9999 2>/dev/null; stat -c %s sparse
dd if=f bs=3 2>&1 >/dev/null | head -2
od -c f
od -An -tx1 f
od -An -td2 f
od -b f | head -1
printf '\001\002\377' | od -An -tu1
hexdump -C f
printf 'hello' | hexdump -v -e '/1 "%02x "'; echo
xxd f
xxd -p f
xxd -p f | xxd -r -p; echo
head -c 32 /dev/zero | od -An -tx1 | sort -u
exit 0
