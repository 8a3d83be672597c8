#!/bin/sh
# kernelshark-shot.sh DAT OUT: run under xvfb-run by run.sh.  Starts
# KernelShark on DAT as an unprivileged user (as root it opens a warning
# dialog first), waits for it to load and draw, records the window list
# (OUT.windows), takes a screenshot of the screen (OUT.png, ImageMagick's
# import) and stops it.  Its output goes to OUT.log.
H=$(mktemp -d /tmp/kshome.XXXXXX)
chown 65534:65534 "$H"
chmod 700 "$H"
setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$H" XDG_RUNTIME_DIR="$H" \
	kernelshark "$1" >"$2.log" 2>&1 &
pid=$!
i=0
while [ $i -lt 40 ]; do
	sleep 0.5
	xwininfo -root -tree 2>/dev/null | grep -q "Kernel Shark (" && break
	i=$((i + 1))
done
sleep 3		# let it draw the plots
xwininfo -root -tree >"$2.windows" 2>&1
import -window root "$2.png"
kill $pid 2>/dev/null
wait $pid 2>/dev/null
rm -rf "$H"
