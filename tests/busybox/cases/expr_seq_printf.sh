# expr, seq, printf, test/[, bc, dc, factor.
expr 3 + 4
expr 10 / 3 \* 3
expr 17 % 5
expr length 'hello world'
expr substr abcdef 2 3
expr index abcdef d
expr abc : 'a\(.*\)'
expr 5 \> 3; expr 2 = 3; echo "expr false status $?"
seq 5 | tr '\n' ' '; echo
seq 2 2 10 | tr '\n' ' '; echo
seq -s, 1 5
seq -w 8 11 | tr '\n' ' '; echo
seq 3 -1 1 | tr '\n' ' '; echo
printf '%d|%5d|%-5d|%05d\n' 42 42 42 42
printf '%s|%10s|%-10s|\n' abc abc abc
printf '%x %X %o %c %%\n' 255 255 8 A
printf '%.2f %e %g\n' 3.14159 1234.5 0.0001
printf 'a\tb\\n\n'
printf '%s\n' one two three
printf '%b\n' 'esc\tape'
test 5 -gt 3 && echo gt; test 5 -eq 5 && echo eq; [ abc = abc ] && echo streq
[ abc != abd ] && echo strne; [ -z '' ] && echo empty; [ 3 -le 2 ] || echo not-le
[ ! -e /nonexistent ] && echo not-exists; [ -d / ] && echo root-dir
[ 1 -lt 2 -a 3 -gt 2 ] && echo and; [ 1 -gt 2 -o 3 -gt 2 ] && echo or
[[ abc == a* ]] && echo double-bracket-glob
echo '2^64' | bc
echo 'scale=5; 22/7' | bc
echo '3 4 + 5 * p' | dc
factor 360 1001 65537
true; echo "true $?"; false; echo "false $?"
exit 0
