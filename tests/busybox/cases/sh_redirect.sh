# Redirections, pipes, here-documents, subshells and file descriptors.
echo first > out.txt
echo second >> out.txt
cat < out.txt
wc -l < out.txt
ls no-such-file 2> err.txt; echo "ls status $?"; grep -c 'No such file' err.txt
{ echo to-stdout; echo to-stderr >&2; } 2>&1 | sort
{ echo a; echo b; } > group.txt; cat group.txt
(cd /; pwd); pwd | grep -q bbsuite && echo cwd-unchanged
(exit 7); echo "subshell exit $?"
x=outer; (x=inner; echo $x); echo $x
cat <<EOF2
here-doc with $x and $(echo subst) and $((2+2))
EOF2
cat <<'EOF2'
quoted here-doc $x $(not run)
EOF2
cat <<-EOF2
	tab-stripped line
	EOF2
exec 3> fd3.txt; echo via-fd3 >&3; exec 3>&-; cat fd3.txt
exec 4< out.txt; read -r line <&4; echo "read from fd4: $line"; exec 4<&-
echo one two three | while read a b c; do echo "$c $b $a"; done
printf 'x\ny\nz\n' | { n=0; while read l; do n=$((n+1)); done; echo lines $n; }
echo abc | tr a-z A-Z | rev | sed 's/^/>/'
true | false; echo "pipe status $?"
echo data > /dev/null; echo devnull-ok
: > empty.txt; [ -s empty.txt ] || echo empty-file
cat out.txt out.txt | sort | uniq -c | sed 's/^ *//'
seq 1 2000 | tail -n 1
echo "$(cat <<EOF2
inside subst
EOF2
)"
exit 0
