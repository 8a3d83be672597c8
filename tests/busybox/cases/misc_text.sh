# strings, tee, yes, which, dos2unix/unix2dos, shuf-free misc, getopt,
# ed scripting, mktemp, uname -m.
printf 'abc\001\002printable-text\000xy\n' > bin
strings bin
echo tee-data | tee t1 t2 > /dev/null; cat t1 t2
echo append | tee -a t1 > /dev/null; cat t1
yes | head -3
yes word | head -2
which sh > /dev/null && echo which-found
which no-such-cmd; echo "which status $?"
printf 'a\nb\n' | unix2dos | od -c | head -1
printf 'a\r\nb\r\n' | dos2unix | od -c | head -1
getopt -o ab:c -- -a -b val -c rest
printf '1\n2\n3\n' > e.txt
printf '2d\nw\nq\n' | ed e.txt; cat e.txt
mktemp tmp.XXXXXX > name; [ -f "$(cat name)" ] && echo mktemp-ok
ascii 2>/dev/null | head -1 >/dev/null; echo ascii-ran
echo hello | sed 's/l/L/g' | tr a-z A-Z
ts --help >/dev/null 2>&1; echo ts-ran
echo 'Hello' | od -An -c
expand --help >/dev/null 2>&1; echo help-ran
uname -m
exit 0
