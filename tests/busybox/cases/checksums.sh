# md5sum, sha1sum, sha256sum, sha512sum, sha3sum, crc32, check mode.
printf 'The quick brown fox jumps over the lazy dog' > fox
: > empty
seq 1 10000 > numbers
md5sum fox empty numbers
sha1sum fox
sha256sum fox empty numbers
sha512sum fox | cut -c1-64
sha3sum fox | cut -c1-32
crc32 fox 2>/dev/null || echo no-crc32
md5sum fox numbers > sums; md5sum -c sums
echo changed >> numbers; md5sum -c sums 2>/dev/null; echo "check status $?"
echo -n abc | sha256sum
exit 0
