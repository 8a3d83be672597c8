# sort and uniq.
printf '10 b\n2 a\n33 c\n2 a\n4 d\n10 b\n1 e\n' > s.txt
sort s.txt
sort -n s.txt
sort -rn s.txt | head -3
sort -k2 s.txt
sort -t' ' -k1,1n -k2,2r s.txt
sort -u s.txt
sort s.txt | uniq
sort s.txt | uniq -c | sed 's/^ *//'
sort s.txt | uniq -d
sort s.txt | uniq -u
printf 'b\nA\na\nB\n' | sort
printf 'b\nA\na\nB\n' | sort -f
printf 'apple\nbanana\ncherry\n' > x; printf 'banana\ncherry\ndate\n' > y
diff x y | grep '^[-+][a-z]'
sort -c s.txt 2>/dev/null; echo "sorted? $?"
sort -n s.txt | sort -c -n && echo sorted-check-ok
seq 20 -3 1 | sort -n | tr '\n' ' '; echo
exit 0
