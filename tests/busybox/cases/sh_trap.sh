# Traps, signals to self, background jobs and wait.  The shell's job
# status messages for background jobs are racy, so they go to /dev/null.
trap 'echo exit-trap' EXIT
trap 'echo got-usr1' USR1
kill -USR1 $$
echo after-usr1
trap 'echo got-term; ' TERM
kill -TERM $$
trap - TERM
trap '' INT; kill -INT $$; echo int-ignored
( trap 'echo sub-exit' EXIT; echo in-sub )
sleep 10 & pid=$!
{ kill $pid; wait $pid; } 2>/dev/null; echo "killed job status $?"
(exit 3) & wait $!; echo "bg status $?"
sh -c 'kill -9 $$'; echo "sigkill status $?"
sh -c 'exit 42'; echo "sh -c status $?"
# 100 ms apart: 10 ms steps race against the scheduler tick on slow emulators.
for s in 1 2 3; do (sleep 0.$s; echo job$s) & done; wait
sh -c 'trap "echo child-trap; exit 5" HUP; kill -HUP $$; sleep 1'; echo "child status $?"
exit 0
