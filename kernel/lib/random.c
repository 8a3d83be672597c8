/*
 * Kernel random numbers: a ChaCha20 keystream generator (the block
 * function of RFC 8439) with fast key erasure: after every request the
 * first 32 bytes of a fresh block become the new key, so earlier output
 * cannot be reconstructed from the current state.  Seeded from RDRAND
 * (when the CPU has it) mixed with the TSC on first use, or explicitly by
 * random_init().  This is not an entropy-accounting pool; it is what
 * /dev/urandom, getrandom() and AT_RANDOM need.
 */
#include <kern/random.h>
#include <kern/spinlock.h>
#include <kern/string.h>

static struct spinlock random_lock = SPINLOCK_INITIALIZER("random");
static u32 key[8];		/* random_lock */
static u64 counter;		/* random_lock */
static bool seeded;		/* random_lock */

#define ROTL(x, n)	(((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)							\
	do {								\
		a += b; d ^= a; d = ROTL(d, 16);			\
		c += d; b ^= c; b = ROTL(b, 12);			\
		a += b; d ^= a; d = ROTL(d, 8);				\
		c += d; b ^= c; b = ROTL(b, 7);				\
	} while (0)

/* One 64-byte ChaCha20 block for (key, counter, nonce 0). */
static void chacha20_block(const u32 k[8], u64 ctr, u32 out[16])
{
	u32 x[16], s[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
		k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7],
		(u32)ctr, (u32)(ctr >> 32), 0, 0,
	};

	memcpy(x, s, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + s[i];
}

/* Best-effort hardware seed. */
static u64 arch_seed(int i)
{
#if defined(__x86_64__) && !defined(HOST_UNIT_TEST)
	u32 lo, hi, ecx;
	u64 r = 0;
	unsigned char ok = 0;

	__asm__ __volatile__("cpuid" : "=c"(ecx) : "a"(1), "c"(0) : "ebx", "edx");
	if (ecx & (1u << 30))
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(r), "=qm"(ok));
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (ok ? r : 0) ^ (((u64)hi << 32) | lo) ^ ((u64)i * 0x9e3779b97f4a7c15ull);
#else
	static u64 x = 0x243f6a8885a308d3ull;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x + (u64)i;
#endif
}

static void seed_locked(u64 extra)
{
	for (int i = 0; i < 4; i++) {
		u64 v = arch_seed(i) ^ (i == 0 ? extra : 0);

		key[2 * i] ^= (u32)v;
		key[2 * i + 1] ^= (u32)(v >> 32);
	}
	seeded = true;
}

void random_init(u64 seed)
{
	spin_lock(&random_lock);
	seed_locked(seed);
	spin_unlock(&random_lock);
}

void random_bytes(void *buf, size_t n)
{
	u8 *p = buf;
	u32 block[16];

	spin_lock(&random_lock);
	if (!seeded)
		seed_locked(0);
	while (n) {
		size_t k = MIN(n, sizeof(block));

		chacha20_block(key, counter++, block);
		memcpy(p, block, k);
		p += k;
		n -= k;
	}
	chacha20_block(key, counter++, block);
	memcpy(key, block, sizeof(key));	/* fast key erasure */
	memset(block, 0, sizeof(block));
	spin_unlock(&random_lock);
}

u64 random_u64(void)
{
	u64 v;

	random_bytes(&v, sizeof(v));
	return v;
}
