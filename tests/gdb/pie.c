/*
 * A dynamically linked position-independent program for the gdb tier's
 * one-command check (tools/gdb-target): gdb finds its load address from
 * the auxiliary vector (qXfer:auxv) and its libraries from the dynamic
 * linker's list in memory.
 */
#include <stdio.h>

int twice(int x)
{
	return 2 * x;
}

int main(void)
{
	int v = twice(21);

	printf("v=%d\n", v);
	return v == 42 ? 0 : 1;
}
