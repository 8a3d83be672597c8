# gzip/gunzip/zcat, bzip2/bunzip2/bzcat, xz/unxz, lzop, uuencode, base64.
seq 1 5000 > data
md5sum data
gzip -c data > data.gz; gunzip -c data.gz | md5sum
gzip -c data | md5sum
gzip -9 -c data | wc -c
cp data d2; gzip d2; ls d2*; gunzip d2.gz; ls d2*; cmp data d2 && echo gzip-file
zcat data.gz | tail -1
gzip -t data.gz && echo gzip-test-ok
echo garbage > bad.gz; gunzip -c bad.gz >/dev/null 2>&1; echo "bad gz status $?"
bzip2 -c data > data.bz2; bunzip2 -c data.bz2 | md5sum; bzcat data.bz2 | head -1
bzip2 -c data | md5sum
lzop -c data > data.lzo 2>/dev/null && lzop -dc data.lzo | md5sum
xz -c data > data.xz 2>/dev/null && unxz -c data.xz | md5sum || echo xz-compress-unsupported
uuencode data data < data | uudecode -o - 2>/dev/null | md5sum
base64 data | head -2
base64 data | base64 -d | md5sum
echo 'aGVsbG8gd29ybGQK' | base64 -d
exit 0
