/*
 * gdb's view of the amd64 registers.  The target description we send
 * (target.xml with the core, sse, linux and segments features, as GNU
 * gdbserver's amd64-linux without AVX) fixes the order of the g packet:
 * rax rbx rcx rdx rsi rdi rbp rsp r8-r15 rip eflags cs ss ds es fs gs,
 * st0-st7 and the x87 control registers, xmm0-15 and mxcsr, orig_rax,
 * fs_base and gs_base.  Values come from Linux's user_regs_struct and the
 * FXSAVE image (abi/ptrace.h); the x87 tag word is expanded from FXSAVE's
 * abridged one as gdb's i387 code does.
 */
#include <string.h>
#include "gdbserver.h"

enum { R_RIP = 16, R_EFLAGS, R_CS, R_SS, R_DS, R_ES, R_FS, R_GS, R_ST0, R_FCTRL = 32,
       R_FSTAT, R_FTAG, R_FISEG, R_FIOFF, R_FOSEG, R_FOOFF, R_FOP, R_XMM0, R_MXCSR = 56,
       R_ORIG_RAX, R_FS_BASE, R_GS_BASE };

int reg_size(int n)
{
	if (n < 0 || n >= NREGS)
		return 0;
	if (n <= R_RIP || n >= R_ORIG_RAX)
		return 8;
	if (n >= R_ST0 && n < R_FCTRL)
		return 10;
	if (n >= R_XMM0 && n < R_MXCSR)
		return 16;
	return 4;
}

/* The general register n (< R_EFLAGS, or orig_rax/fs_base/gs_base) in r. */
static uint64_t *gpr(struct abi_user_regs *r, int n)
{
	uint64_t *const map[] = {
		&r->rax, &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi, &r->rbp, &r->rsp,
		&r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15, &r->rip,
	};

	if (n == R_ORIG_RAX)
		return &r->orig_rax;
	if (n == R_FS_BASE)
		return &r->fs_base;
	if (n == R_GS_BASE)
		return &r->gs_base;
	return map[n];
}

/* Full x87 tag word from FXSAVE's abridged one (gdb's i387_supply_fxsave). */
static uint32_t full_tag(const struct abi_user_fpregs *f)
{
	unsigned top = (f->swd >> 11) & 7;
	uint32_t tag = 0;

	for (int phys = 0; phys < 8; phys++) {
		const uint8_t *st = (const uint8_t *)f->st_space + 16 * ((phys - top) & 7);
		unsigned exp = (st[9] & 0x7f) << 8 | st[8], t;
		uint64_t mant;

		memcpy(&mant, st, 8);
		if (!(f->ftw & (1u << phys)))
			t = 3;			/* empty */
		else if (exp == 0x7fff)
			t = 2;			/* special */
		else if (exp == 0)
			t = mant ? 2 : 1;	/* denormal / zero */
		else
			t = (mant >> 63) ? 0 : 2;	/* valid / unnormal */
		tag |= t << (2 * phys);
	}
	return tag;
}

void reg_get(int n, const struct abi_user_regs *cr, const struct abi_user_fpregs *f, uint8_t *out)
{
	struct abi_user_regs r = *cr;
	const uint8_t *fx = (const uint8_t *)f;
	uint32_t v32 = 0;

	if (n <= R_RIP || n >= R_ORIG_RAX) {
		memcpy(out, gpr(&r, n), 8);
		return;
	}
	if (n >= R_ST0 && n < R_FCTRL) {
		memcpy(out, (const uint8_t *)f->st_space + 16 * (n - R_ST0), 10);
		return;
	}
	if (n >= R_XMM0 && n < R_MXCSR) {
		memcpy(out, (const uint8_t *)f->xmm_space + 16 * (n - R_XMM0), 16);
		return;
	}
	switch (n) {
	case R_EFLAGS: v32 = (uint32_t)r.eflags; break;
	case R_CS: v32 = (uint32_t)r.cs; break;
	case R_SS: v32 = (uint32_t)r.ss; break;
	case R_DS: v32 = (uint32_t)r.ds; break;
	case R_ES: v32 = (uint32_t)r.es; break;
	case R_FS: v32 = (uint32_t)r.fs; break;
	case R_GS: v32 = (uint32_t)r.gs; break;
	case R_FCTRL: v32 = f->cwd; break;
	case R_FSTAT: v32 = f->swd; break;
	case R_FTAG: v32 = full_tag(f); break;
	case R_FISEG: memcpy(&v32, fx + 12, 4); break;
	case R_FIOFF: memcpy(&v32, fx + 8, 4); break;
	case R_FOSEG: memcpy(&v32, fx + 20, 4); break;
	case R_FOOFF: memcpy(&v32, fx + 16, 4); break;
	case R_FOP: v32 = f->fop & 0x7ff; break;
	case R_MXCSR: v32 = f->mxcsr; break;
	}
	memcpy(out, &v32, 4);
}

void reg_set(int n, struct abi_user_regs *r, struct abi_user_fpregs *f, const uint8_t *in)
{
	uint8_t *fx = (uint8_t *)f;
	uint32_t v32;

	if (n <= R_RIP || n >= R_ORIG_RAX) {
		memcpy(gpr(r, n), in, 8);
		return;
	}
	if (n >= R_ST0 && n < R_FCTRL) {
		memcpy((uint8_t *)f->st_space + 16 * (n - R_ST0), in, 10);
		return;
	}
	if (n >= R_XMM0 && n < R_MXCSR) {
		memcpy((uint8_t *)f->xmm_space + 16 * (n - R_XMM0), in, 16);
		return;
	}
	memcpy(&v32, in, 4);
	switch (n) {
	case R_EFLAGS: r->eflags = v32; break;
	case R_FCTRL: f->cwd = (uint16_t)v32; break;
	case R_FSTAT: f->swd = (uint16_t)v32; break;
	case R_FTAG: {
		uint16_t abridged = 0;

		for (int i = 0; i < 8; i++)
			if (((v32 >> (2 * i)) & 3) != 3)
				abridged |= (uint16_t)(1u << i);
		f->ftw = abridged;
		break;
	}
	case R_FISEG: memcpy(fx + 12, &v32, 4); break;
	case R_FIOFF: memcpy(fx + 8, &v32, 4); break;
	case R_FOSEG: memcpy(fx + 20, &v32, 4); break;
	case R_FOOFF: memcpy(fx + 16, &v32, 4); break;
	case R_FOP: f->fop = (uint16_t)(v32 & 0x7ff); break;
	case R_MXCSR: f->mxcsr = v32; break;
	default: break;		/* segment selectors are fixed */
	}
}

static const char target_xml[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target><architecture>i386:x86-64</architecture><osabi>GNU/Linux</osabi>\n"
	"<xi:include href=\"64bit-core.xml\"/><xi:include href=\"64bit-sse.xml\"/>\n"
	"<xi:include href=\"64bit-linux.xml\"/><xi:include href=\"64bit-segments.xml\"/>\n"
	"</target>\n";

static const char core_xml[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
	"<feature name=\"org.gnu.gdb.i386.core\">\n"
	"<flags id=\"i386_eflags\" size=\"4\">"
	"<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>"
	"<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>"
	"<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>"
	"<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>"
	"<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>"
	"<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>"
	"<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>"
	"<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>"
	"<field name=\"ID\" start=\"21\" end=\"21\"/></flags>\n"
	"<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/><reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/><reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/><reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/><reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>"
	"<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/><reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/><reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/><reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/><reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>"
	"<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>"
	"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/><reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/><reg name=\"es\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/><reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/><reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/><reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/><reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/><reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"</feature>\n";

static const char sse_xml[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
	"<feature name=\"org.gnu.gdb.i386.sse\">\n"
	"<vector id=\"v8bf16\" type=\"bfloat16\" count=\"8\"/>"
	"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
	"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
	"<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
	"<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
	"<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
	"<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
	"<union id=\"vec128\"><field name=\"v8_bfloat16\" type=\"v8bf16\"/>"
	"<field name=\"v4_float\" type=\"v4f\"/><field name=\"v2_double\" type=\"v2d\"/>"
	"<field name=\"v16_int8\" type=\"v16i8\"/><field name=\"v8_int16\" type=\"v8i16\"/>"
	"<field name=\"v4_int32\" type=\"v4i32\"/><field name=\"v2_int64\" type=\"v2i64\"/>"
	"<field name=\"uint128\" type=\"uint128\"/></union>\n"
	"<flags id=\"i386_mxcsr\" size=\"4\">"
	"<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>"
	"<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>"
	"<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>"
	"<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>"
	"<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>"
	"<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>"
	"<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/>"
	"</flags>\n"
	"<reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\" regnum=\"40\"/>"
	"<reg name=\"xmm1\" bitsize=\"128\" type=\"vec128\"/><reg name=\"xmm2\" bitsize=\"128\" type=\"vec128\"/>"
	"<reg name=\"xmm3\" bitsize=\"128\" type=\"vec128\"/><reg name=\"xmm4\" bitsize=\"128\" type=\"vec128\"/>"
	"<reg name=\"xmm5\" bitsize=\"128\" type=\"vec128\"/><reg name=\"xmm6\" bitsize=\"128\" type=\"vec128\"/>"
	"<reg name=\"xmm7\" bitsize=\"128\" type=\"vec128\"/><reg name=\"xmm8\" bitsize=\"128\" type=\"vec128\"/>"
	"<reg name=\"xmm9\" bitsize=\"128\" type=\"vec128\"/><reg name=\"xmm10\" bitsize=\"128\" type=\"vec128\"/>"
	"<reg name=\"xmm11\" bitsize=\"128\" type=\"vec128\"/><reg name=\"xmm12\" bitsize=\"128\" type=\"vec128\"/>"
	"<reg name=\"xmm13\" bitsize=\"128\" type=\"vec128\"/><reg name=\"xmm14\" bitsize=\"128\" type=\"vec128\"/>"
	"<reg name=\"xmm15\" bitsize=\"128\" type=\"vec128\"/>"
	"<reg name=\"mxcsr\" bitsize=\"32\" type=\"i386_mxcsr\" group=\"vector\"/>\n"
	"</feature>\n";

static const char linux_xml[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
	"<feature name=\"org.gnu.gdb.i386.linux\">\n"
	"<reg name=\"orig_rax\" bitsize=\"64\" type=\"int\" regnum=\"57\"/>\n"
	"</feature>\n";

static const char segments_xml[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
	"<feature name=\"org.gnu.gdb.i386.segments\">\n"
	"<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>\n"
	"<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>\n"
	"</feature>\n";

const char *tdesc_xml(const char *annex)
{
	static const struct { const char *name, *text; } files[] = {
		{ "target.xml", target_xml }, { "64bit-core.xml", core_xml },
		{ "64bit-sse.xml", sse_xml }, { "64bit-linux.xml", linux_xml },
		{ "64bit-segments.xml", segments_xml },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!strcmp(annex, files[i].name))
			return files[i].text;
	return NULL;
}
