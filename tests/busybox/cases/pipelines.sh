# Larger pipelines and data volumes through pipes, files and subshells.
seq 1 20000 > n
wc -l < n
cat n | awk '{s += $1} END {print s}'
seq 1 5000 | sed 's/$/ x/' | sort -k1,1nr | head -3
seq 1 3000 | grep 7 | wc -l
seq 1 100000 | tail -1
awk 'BEGIN {for (i = 0; i < 2000; i++) print i % 37}' | sort -n | uniq -c | sort -rn | head -3 | sed 's/^ *//'
yes 'some repeated text' | head -n 50000 | md5sum
seq 1 1000 | while read i; do echo $((i * i)); done | tail -1
for i in 1 2 3 4 5; do seq 1 $i | wc -l; done | tr '\n' ' '; echo
(seq 1 3; seq 4 6) | paste -sd+ | bc
cat n n n | sort -n | uniq | wc -l
head -c 200000 /dev/zero | tr '\0' 'z' | wc -c
seq 1 200 | xargs -n 50 | awk '{print NF}' | tr '\n' ' '; echo
seq 1 10 | sh -c 'while read l; do echo "$l"; done' | tail -1
exit 0
