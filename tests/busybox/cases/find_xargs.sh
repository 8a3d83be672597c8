# find and xargs.
mkdir -p t/a/b t/c
echo 1 > t/one.txt; echo 22 > t/a/two.txt; echo 333 > t/a/b/three.log
echo x > t/c/four.txt; ln -s one.txt t/link
touch -d '2000-01-01' t/one.txt; touch -d '2020-01-01' t/a/two.txt
find t | sort
find t -name '*.txt' | sort
find t -type d | sort
find t -type l
find t -maxdepth 1 -type f
find t -name '*.log' -o -name 'four*' | sort
find t -newer t/one.txt -type f | sort
find t -size +0 -type f | wc -l
find t -type f -exec wc -c {} \; | sort
find t -name '*.txt' -print0 | xargs -0 cat | sort
find t -type f | sort | xargs -n 2 echo
echo a b c d e | xargs -n 2
printf 'x\ny\n' | xargs -I{} echo item-{}
find t -path '*a/b*' | sort
find t -empty
find t -type f -name '*.txt' | xargs grep -l 22
find t -mindepth 2 -type f | sort
echo 'one two' | xargs sh -c 'echo $#' argv0
exit 0
