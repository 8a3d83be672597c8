/* The set of CPUs: how many the firmware listed and which are running. */
#include <kern/smp.h>

int num_cpus = 1;
volatile bool cpu_online[MAX_CPUS];

int num_online_cpus(void)
{
	int n = 0;

	for (int c = 0; c < num_cpus; c++)
		n += cpu_online[c];
	return n;
}
