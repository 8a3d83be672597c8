# ulimit -f (RLIMIT_FSIZE, in 512-byte blocks in busybox sh) cuts writes
# to regular files short at the limit; the writer dies of SIGXFSZ (status
# 153) unless it ignores the signal, and then gets EFBIG.  Results go
# through small new files: the suite's own stdout may be a big regular
# file, which the limit would cover too.
ulimit -f
( ulimit -f 2; ulimit -f > lim; dd if=/dev/zero of=f bs=1000 count=5 2>/dev/null; echo "dd status $?" > r1 )
cat lim r1; wc -c < f
( trap '' XFSZ; ulimit -f 1; printf '%2000s' x > g; echo "printf status $?" > r2 )
cat r2; wc -c < g
# truncate runs inside the subshell (a NOFORK applet): the subshell dies.
# The shell's "File size limit exceeded" note is dropped: Linux adds
# "(core dumped)" only when it wrote a core, which depends on the host's
# RLIMIT_CORE; the status is what is compared.
( ( ulimit -f 1; truncate -s 1000 h ); echo "truncate status $?" ) 2>/dev/null
wc -c < h
( ulimit -f 1; truncate -s 100 h; echo "small truncate status $?" > r4 )
cat r4; wc -c < h
