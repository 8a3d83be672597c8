# tar (plain and gzip), cpio; contents compared after extraction.
mkdir -p src/sub
seq 1 500 > src/numbers
printf 'hello\n' > src/sub/greeting
ln -s numbers src/link
touch -d '2015-05-05 05:05:05' src/numbers src/sub/greeting
tar cf a.tar src
tar tf a.tar | sort
mkdir out; tar xf a.tar -C out
diff -r src out/src && echo tar-roundtrip
[ -L out/src/link ] && readlink out/src/link
stat -c %Y out/src/numbers
tar czf a.tgz src; tar tzf a.tgz | sort | tr '\n' ' '; echo
mkdir out2; (cd out2 && gunzip -c ../a.tgz | tar xf -)
cmp src/numbers out2/src/numbers && echo tgz-roundtrip
tar cf - src/sub | tar tvf - | awk '{print $1, $3, $NF}'
find src -print | sort | cpio -o -H newc 2>/dev/null > a.cpio
cpio -t < a.cpio 2>/dev/null | sort
mkdir out3; (cd out3 && cpio -i -d < ../a.cpio 2>/dev/null)
cmp src/sub/greeting out3/src/sub/greeting && echo cpio-roundtrip
tar xf nonexistent.tar 2>/dev/null; echo "missing tar status $?"
exit 0
