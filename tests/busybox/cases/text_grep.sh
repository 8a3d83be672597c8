# grep, egrep, fgrep.
cat > f.txt <<'X'
apple pie
Banana split
cherry tart
apple crumble
grape juice
Apple Cider
X
grep apple f.txt
grep -i apple f.txt
grep -c apple f.txt
grep -n -v apple f.txt
grep -E '^(cherry|grape)' f.txt
egrep 'an+a' f.txt
grep -o 'p[a-z]*e' f.txt
grep -w pie f.txt
fgrep -x 'grape juice' f.txt
grep -F '.*' f.txt; echo "fixed no match $?"
grep -q tart f.txt && echo quiet-match
mkdir d; cp f.txt d/a.txt; echo none > d/b.txt
grep -rl apple d
grep -e apple -e grape f.txt | wc -l
grep '[[:upper:]]' f.txt
grep nosuch f.txt; echo "status $?"
grep x nosuchfile 2>/dev/null; echo "status $?"
exit 0
