/*
 * CMOS real-time clock: read once at boot to seed CLOCK_REALTIME.  The
 * registers may be BCD or binary and 12- or 24-hour (status register B
 * says which); a read is repeated until two consecutive reads agree, so an
 * update in progress cannot tear it.
 */
#include <kern/types.h>
#include <arch/x86.h>
#include <kern/clock.h>

#define CMOS_ADDR	0x70
#define CMOS_DATA	0x71

static u8 cmos_read(u8 reg)
{
	outb(CMOS_ADDR, reg);
	return inb(CMOS_DATA);
}

static void read_raw(u8 r[7])
{
	while (cmos_read(0x0A) & 0x80)		/* update in progress */
		cpu_relax();
	r[0] = cmos_read(0x00);
	r[1] = cmos_read(0x02);
	r[2] = cmos_read(0x04);
	r[3] = cmos_read(0x07);
	r[4] = cmos_read(0x08);
	r[5] = cmos_read(0x09);
	r[6] = cmos_read(0x32);			/* century (ACPI default register) */
}

static u32 bcd(u8 v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static s64 days_from_civil(s64 y, u32 m, u32 d)
{
	s64 era;
	u32 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (u32)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (s64)doe - 719468;
}

/* Seconds since the Unix epoch according to the RTC (assumed UTC). */
u64 rtc_read_unix(void)
{
	u8 a[7], b[7], regb = cmos_read(0x0B);
	u32 sec, min, hour, day, mon, year;
	bool pm;

	do {
		read_raw(a);
		read_raw(b);
	} while (a[0] != b[0] || a[1] != b[1] || a[2] != b[2] || a[3] != b[3] || a[4] != b[4] ||
		 a[5] != b[5]);
	pm = a[2] & 0x80;
	a[2] &= 0x7f;
	if (!(regb & 0x04)) {
		sec = bcd(a[0]); min = bcd(a[1]); hour = bcd(a[2]);
		day = bcd(a[3]); mon = bcd(a[4]); year = bcd(a[5]);
		year += a[6] ? bcd(a[6]) * 100 : 2000;
	} else {
		sec = a[0]; min = a[1]; hour = a[2]; day = a[3]; mon = a[4]; year = a[5];
		year += a[6] ? a[6] * 100 : 2000;
	}
	if (!(regb & 0x02) && pm)
		hour = (hour % 12) + 12;
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
		return 0;
	return (u64)(days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec);
}
