/*
 * The program the gdb tier debugs (built -O0 -g -static).  Lines marked
 * "LINE:name" are found by tests/gdb/run.py.  "gdbtarget" runs a short
 * computation with a few threads and exits 0; "gdbtarget spin" loops
 * forever (attach, Ctrl-C, detach), bumping counter.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile int watched;		/* the watchpoint's variable */
volatile unsigned long counter;	/* advanced by "spin" */
struct point {
	int x, y;
};
struct point origin = { 3, 4 };
char message[32] = "hello";
static pthread_barrier_t barrier;

int square(int v)
{
	int r = v * v;	/* LINE:square */
	return r;
}

void bump(void)
{
	watched = watched + 1;	/* LINE:bump */
}

/* Called by each worker once every thread has reached the barrier: all three exist. */
long worker_done(long id)
{
	return id * 2;	/* LINE:worker_done */
}

void *worker(void *arg)
{
	long id = (long)arg;

	pthread_barrier_wait(&barrier);	/* LINE:worker */
	return (void *)worker_done(id);
}

int main(int argc, char **argv)
{
	pthread_t th[2];
	int total = 0;

	if (argc > 1 && !strcmp(argv[1], "spin")) {
		for (;;) {
			counter++;	/* LINE:spin */
			if (counter % 100000 == 0)
				bump();
		}
	}
	for (int i = 0; i < 5; i++)
		total += square(i);	/* LINE:loop */
	bump();
	bump();
	pthread_barrier_init(&barrier, NULL, 3);
	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("total=%d watched=%d message=%s\n", total, watched, message);	/* LINE:print */
	return total == 30 && watched == 2 ? 0 : 1;
}
