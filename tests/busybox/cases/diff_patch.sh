# diff, cmp, patch.
printf 'line1\nline2\nline3\nline4\n' > old
printf 'line1\nLINE2\nline3\nline4\nline5\n' > new
touch -d '2020-01-01 00:00:00' old new
diff old new; echo "diff status $?"
diff -u old new
diff old old && echo identical
cmp old new; echo "cmp status $?"
cmp -l old new 2>/dev/null | head -3
cmp -s old old && echo cmp-same
diff -u old new > p.diff
cp old target; patch target < p.diff >/dev/null; cmp target new && echo patched
mkdir d1 d2; echo a > d1/f; echo b > d2/f; echo c > d1/only
diff -r d1 d2 | sort
exit 0
