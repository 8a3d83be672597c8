# kill, ps (only that it lists a known process), sleep in background,
# wait, sh -c, env, printenv, setsid, nice-free process checks.
sleep 30 & pid=$!
# The child may not have exec'd sleep yet when ps runs (on any kernel): retry.
i=0
while [ $i -lt 30 ]; do
	ps | grep -q '[s]leep 30' && { echo ps-lists-sleep; break; }
	sleep 0.1
	i=$((i + 1))
done
kill -0 $pid && echo alive
{ kill $pid; wait $pid; } 2>/dev/null; echo "wait status $?"
kill -0 $pid 2>/dev/null || echo gone
sleep 30 & pid=$!; { kill -KILL $pid; wait $pid; } 2>/dev/null; echo "kill -9 status $?"
sleep 30 & pid=$!; { kill -s USR1 $pid; wait $pid; } 2>/dev/null; echo "usr1 status $?"
kill -l 15; kill -l TERM
env -i FOO=bar /bin/sh -c 'echo $FOO' 2>/dev/null || env -i FOO=bar sh -c 'echo $FOO'
FOO=1 BAR=2 env | grep -E '^(FOO|BAR)=' | sort
X=exported; export X; env | grep '^X='; sh -c 'echo child sees $X'
sh -c 'echo $0 $1 $2' zero one two
setsid sh -c 'echo in-new-session'
sh -c 'exit 7'; echo "exit code $?"
sh -c 'kill -TERM $$'; echo "self-term status $?"
echo hi | (read v; echo "subshell read $v")
ps | head -1 | awk '{print $1}'
[ -r /proc/self/stat ] && echo proc-self
[ -d /proc/$$ ] && echo proc-pid
cat /proc/self/cmdline | tr '\0' ' '; echo
exit 0
