# ls with fixed mtimes; owner and group columns are removed (they depend on
# who runs the host side), directory sizes are file-system specific.
mkdir dir
printf 'hello\n' > small
seq 1 1000 > big
ln -s small link
touch -d '2020-01-02 03:04:05' small
touch -d '1999-12-31 23:59:59' big
touch -h -d '2021-06-07 08:09:10' link 2>/dev/null
touch -d '2010-10-10 10:10:10' dir
chmod 600 small; chmod 755 big
ls
ls -1 | tr '\n' ' '; echo
ls -a | tr '\n' ' '; echo
ls -l small big | awk '{print $1, $2, $5, $6, $7, $8, $9}'
ls -ld dir | awk '{print $1, $6, $7, $8, $9}'
ls -l link | awk '{print $1, $9, $10, $11}'
ls -lt small big | awk '{print $NF}' | tr '\n' ' '; echo
ls -S small big | tr '\n' ' '; echo
ls -r | tr '\n' ' '; echo
ls -F | tr '\n' ' '; echo
ls -l --full-time small 2>/dev/null | awk '{print $6, $7}'
mkdir -p tree/x/y; touch tree/x/y/z tree/top
ls -R tree
ls -d tree; ls nonexistent 2>/dev/null; echo "ls missing status $?"
exit 0
