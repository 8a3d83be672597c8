# mkdir, touch, cp, mv, rm, ln, readlink, rmdir, chmod, stat, test, unlink,
# truncate, mkfifo, basename, dirname, realpath (relative use only).
mkdir -p a/b/c
touch a/b/c/file
echo content > a/f1
cp a/f1 a/f2 && cat a/f2
cp -r a copy && find copy | sort
mv copy/f1 copy/renamed && ls copy
mv copy moved && [ -d moved ] && [ ! -e copy ] && echo moved-dir
rm moved/renamed; ls moved
rm -r moved; [ -e moved ] || echo removed-tree
ln -s f1 a/sym; readlink a/sym; cat a/sym
ln a/f1 a/hard; stat -c '%h' a/f1
[ -L a/sym ] && [ -f a/sym ] && [ ! -L a/f1 ] && echo link-tests
rmdir a/b/c 2>/dev/null || echo "rmdir nonempty fails"
rm a/b/c/file; rmdir a/b/c && echo rmdir-ok
chmod 640 a/f1; stat -c '%a %A' a/f1
chmod u+x,g-r,o+w a/f1; stat -c '%a' a/f1
chmod -R 755 a; stat -c '%a' a/f2
mkdir -m 700 priv; stat -c '%a %F' priv
echo 12345 > sz; stat -c '%s %F %n' sz
truncate -s 100 sz; stat -c %s sz
truncate -s 2 sz; cat sz; echo
unlink sz; [ -e sz ] || echo unlinked
mkfifo pipe; [ -p pipe ] && echo is-fifo
(echo through-fifo > pipe &) ; cat pipe
basename /a/b/c.txt .txt; dirname /a/b/c.txt; basename dir/
touch -d '2001-02-03 04:05:06' old; touch -d '2011-02-03 04:05:06' new
[ new -nt old ] && echo newer-than; [ old -ot new ] && echo older-than
stat -c '%Y' old new
cd a/b && realpath . | sed "s|.*/||"
cd ../..
[ -x a/f2 ] && echo executable
[ -s a/f2 ] && [ ! -s /dev/null ] && echo size-tests
cp -p old preserved; stat -c %Y preserved
ln -sf f2 a/sym; readlink a/sym
exit 0
