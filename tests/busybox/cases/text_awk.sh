# awk: fields, patterns, arrays, functions, printf.
cat > data.txt <<'X'
alice 30 london
bob 25 paris
carol 35 london
dave 28 berlin
eve 22 paris
X
awk '{print $1}' data.txt | tr '\n' ' '; echo
awk '$2 > 27 {print $1, $2}' data.txt
awk '{sum += $2} END {print "total", sum, "avg", sum / NR}' data.txt
awk '{count[$3]++} END {for (c in count) print c, count[c]}' data.txt | sort
awk 'BEGIN {FS=":"} {print NF, $NF}' /etc/passwd | head -1 | sed 's/ .*//'
echo 'a:b:c' | awk -F: '{print $2, NF}'
awk 'NR % 2 == 0' data.txt
awk '{printf "%-6s|%4d|%s\n", $1, $2, toupper($3)}' data.txt
awk 'BEGIN {s = "hello world"; print length(s), substr(s, 7), index(s, "wor")}'
awk 'BEGIN {s = "aaa"; n = gsub(/a/, "b", s); print n, s}'
awk 'BEGIN {n = split("x,y,z", arr, ","); print n, arr[3]}'
awk 'function sq(x) { return x * x } BEGIN { print sq(12) }'
awk 'BEGIN { printf "%.3f %e %x %o %c\n", 3.14159, 12345.678, 255, 8, 65 }'
awk 'BEGIN { print 2 * 1024, int(7.9), 10 % 3, -3 % 2 }'
seq 1 100 | awk '{s += $1} END {print s}'
awk '/london/ {n++} END {print n " in london"}' data.txt
awk 'BEGIN { while (i < 3) { i++; printf "%d ", i }; print "" }'
echo "x y z" | awk '{ $2 = "Y"; print; print NF }'
awk 'BEGIN { "echo piped" | getline v; print v }'
exit 0
