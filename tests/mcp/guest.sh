#!/bin/sh
# guest.sh: runs inside the target (copied in by tests/mcp/run.sh): every
# mcp_test check in turn, each under a timeout, then "done NAME RC".
cd /tests/mcp || exit 1
for t in ${MCP_TESTS:-basic sum pingpong mutex blockread yield notify preempt preempt-ext deny tls fair dbg kill fuzz initrace async-sleep async-futex async-wait async-pipe async-many async-kill async-efault async-fuzz async-notifsoff}; do
	timeout 120 ./mcp_test "$t"
	echo "done $t $?"
done
echo "alive $(cat /proc/uptime)"
