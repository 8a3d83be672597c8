# Shell language: variables, parameter expansion, arithmetic, control flow,
# functions, positional parameters, command substitution.
x=hello
y="$x world"
echo "$y" ${#y}
path=/usr/local/lib/libfoo.so.1
echo ${path##*/} ${path%/*} ${path#/usr} ${path%%.*}
echo ${unset_var:-default} ${x:+alt} ${x:2:3}
: ${newvar:=assigned}; echo $newvar
echo $((3 + 4 * 5)) $((17 / 5)) $((17 % 5)) $((1 << 10)) $((0x1f | 0x20)) $((-7 / 2))
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo while $i
for w in a b "c d" e; do printf '[%s]' "$w"; done; echo
for n in $(seq 1 3); do echo -n "$n "; done; echo
case foo.tar.gz in *.zip) echo zip;; *.tar.gz|*.tgz) echo tarball;; *) echo other;; esac
case 5 in [0-4]) echo low;; [5-9]) echo high;; esac
f() { local a=$1; shift; echo "f: a=$a rest=$* count=$#"; return 3; }
f one two three; echo "status $?"
g() { echo "${1:-none}"; }; g; g arg
set -- p q r s; echo $# $2; shift 2; echo $# $1 "$@"
echo "nested $(echo "inner $(echo deepest)")" `echo backtick`
if true && ! false; then echo and-not; fi
false || echo or-branch
[ -z "" ] && [ -n "x" ] && echo test-ok
until [ "$i" -le 0 ]; do i=$((i - 2)); done; echo until $i
p2=a:b::c; IFS=: ; set -- $p2; IFS=" "; echo fields $# $2
eval 'e=evaluated'; echo $e
printf '%s\n' "quoted   spaces" 'single $x' "double $x" \$x
v=$(printf 'a\nb\n\n'); echo "${#v}"
readonly ro=1; (ro=2) 2>/dev/null || echo readonly-enforced
echo "$((ro + 41))"
exit 0
