# fallocate (busybox: posix_fallocate): the file grows to offset + length
# with zeros, the data already there stays, a range inside the file keeps
# the size; a character device is ENODEV.  Only sizes and bytes are
# compared: st_blocks depends on the host's file system.
echo data > f
fallocate -l 10000 f; echo "status $?"; stat -c %s f
fallocate -o 20000 -l 96 f; stat -c %s f
fallocate -l 10 f; stat -c %s f
od -An -c -N 8 f
fallocate -o 0 -l 0 f; echo "zero length status $?"
fallocate -l 10 /dev/null; echo "device status $?"
