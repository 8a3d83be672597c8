# sed: substitutions, addresses, hold space, in-place edits.
printf 'one\ntwo\nthree\nfour\nfive\n' > n.txt
sed 's/o/0/' n.txt | tr '\n' ' '; echo
sed 's/o/0/g' n.txt | tr '\n' ' '; echo
sed -n '2,4p' n.txt
sed '/t/d' n.txt
sed -n '/two/,/four/{=;p}' n.txt
sed -e 's/^/[/' -e 's/$/]/' n.txt | head -2
sed 'y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/' n.txt | tail -1
sed -n '1!G;h;$p' n.txt
sed 's/\(t\)\(w\)/\2\1/' n.txt | sed -n 2p
sed -E 's/(f)(i|o)/<\2\1>/' n.txt | grep '<'
sed '3q' n.txt
sed '2i\
inserted' n.txt | head -3
sed '$a\
appended' n.txt | tail -2
sed -i 's/five/FIVE/' n.txt; tail -1 n.txt
echo 'a.b.c' | sed 's/\./-/2'
echo 'path/to/file' | sed 's|/|::|g'
exit 0
