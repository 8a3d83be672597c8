# date with fixed times (TZ=UTC), cal, sleep, usleep, timeout.
date -d @0 -u
date -u -d @1234567890 '+%Y-%m-%d %H:%M:%S %A %B %j %u %Z'
date -u -d '2020-02-29 12:34:56' +%s
date -u -d @86399 +%T
date -u -d '@1000000000' -R
date -u -d @0 +%s
d=$(date +%Y); [ "$d" -ge 2020 ] && echo year-sane
cal 2 2024
cal 1 2000 | head -3
sleep 0.2; echo slept
usleep 1000; echo usleept
timeout 1 sleep 5; echo "timeout status $?"
timeout 5 true; echo "no timeout status $?"
touch -d '2005-06-07 08:09:10' f; date -u -r f '+%Y%m%d%H%M%S'
exit 0
