# cut, tr, paste, expand, unexpand, fold, rev, tac, nl, head, tail, wc.
printf 'a,b,c,d\n1,2,3,4\nx,y,z,w\n' > c.csv
cut -d, -f2 c.csv | tr '\n' ' '; echo
cut -d, -f1,3- c.csv
cut -c1-3 c.csv
echo 'Hello World' | tr a-z A-Z
echo 'Hello World' | tr -d lo
echo 'aaabbbccc   dd' | tr -s 'a-c '
echo 'hello' | tr 'a-y' 'b-z'
echo 'tabs	and spaces' | tr '\t ' '_-'
printf '1\n2\n3\n' > p1; printf 'a\nb\nc\n' > p2
paste p1 p2
paste -d: p1 p2
paste -s p1
printf 'a\tb\tc\n' | expand -t 4
printf 'a       b       c\n' | unexpand -a | od -c | head -1
echo 'abcdefghijklmnopqrstuvwxyz' | fold -w 10
echo 'stressed' | rev
seq 1 5 | tac | tr '\n' ' '; echo
printf 'first\nsecond\n\nthird\n' | nl
seq 1 20 > s
head -n 3 s | tr '\n' ' '; echo
head -c 5 s | od -An -c
tail -n 2 s | tr '\n' ' '; echo
tail -n +18 s | tr '\n' ' '; echo
tail -c 6 s | tr '\n' ' '; echo
wc s
wc -l < s
echo 'one two  three' | wc -w
printf 'no newline' | wc -c
exit 0
