# Background writers and readers through named pipes and ordinary pipes.
mkfifo f1 f2
(seq 1 5 > f1) &
(tr '0-9' 'a-j' < f1 > f2) &
cat f2
wait
(for i in 1 2 3; do echo "w$i"; sleep 0.05; done) | cat
exec 5<> f1 2>/dev/null; echo via-rw-fifo >&5; read -r got <&5; echo "$got"; exec 5>&-
sleep 0.1 & sleep 0.2 & wait; echo all-waited
exit 0
