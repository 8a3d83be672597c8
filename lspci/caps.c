/*
 * caps.c - the standard capability list as pciutils 3.9.0 prints it:
 * PM, AGP, VPD, slot ID, MSI, PCI-X, HyperTransport, vendor-specific,
 * debug port, SSVID, PCI Express (device, link, slot, root and their "2"
 * registers), MSI-X, SATA, advanced features, enhanced allocation.
 *
 * Model: show_caps() walks the list from the header's pointer, marking
 * each offset; a revisit prints "<chain looped>", an ID of 0xff "<chain
 * broken>", an unreadable entry "<access denied>".  Each decoder prints
 * one summary line, and its register lines with -vv when the bytes can be
 * fetched.  Express and PCI-X capabilities make show_caps() go on to the
 * extended list (ecaps.c).
 */
#include <string.h>

#include "lspci.h"
#include "regs.h"
#include "pciids.h"

/* Power Management */
static void cap_pm(struct pdev *d, int where, int cap)
{
	static const int pm_aux_current[8] = { 0, 55, 100, 160, 220, 270, 320, 375 };
	int t, b;

	printf("Power Management version %d\n", cap & 7);
	if (verbose < 2)
		return;
	printf("\t\tFlags: PMEClk%c DSI%c D1%c D2%c AuxCurrent=%dmA PME(D0%c,D1%c,D2%c,D3hot%c,D3cold%c)\n",
	       FLAG(cap, 0x8), FLAG(cap, 0x20), FLAG(cap, 0x200), FLAG(cap, 0x400),
	       pm_aux_current[(cap & 0x1c0) >> 6], FLAG(cap, 0x800), FLAG(cap, 0x1000),
	       FLAG(cap, 0x2000), FLAG(cap, 0x4000), FLAG(cap, 0x8000));
	if (!config_fetch(d, where + 4, 4))
		return;
	t = get_conf_word(d, where + 4);
	printf("\t\tStatus: D%d NoSoftRst%c PME-Enable%c DSel=%d DScale=%d PME%c\n",
	       t & 3, FLAG(t, 0x8), FLAG(t, 0x100), (t & 0x1e00) >> 9, (t & 0x6000) >> 13,
	       FLAG(t, 0x8000));
	b = get_conf_byte(d, where + 6);
	if (b)
		printf("\t\tBridge: PM%c B3%c\n", FLAG(b, 0x80), FLAG(~b, 0x40));
}

static void format_agp_rate(int rate, char *buf, int agp3)
{
	char *c = buf;

	for (int i = 0; i <= 2; i++)
		if (rate & (1 << i)) {
			if (c != buf)
				*c++ = ',';
			c += sprintf(c, "x%d", 1 << (i + 2 * agp3));
		}
	if (c != buf)
		*c = 0;
	else
		strcpy(buf, "<none>");
}

static void cap_agp(struct pdev *d, int where, int cap)
{
	u32 t;
	char rate[16];
	int ver = (cap >> 4) & 0x0f, rev = cap & 0x0f, agp3 = 0;

	printf("AGP version %x.%x\n", ver, rev);
	if (verbose < 2)
		return;
	if (!config_fetch(d, where + 4, 8))
		return;
	t = get_conf_long(d, where + 4);
	if (ver >= 3 && (t & 0x8))
		agp3 = 1;
	format_agp_rate(t & 7, rate, agp3);
	printf("\t\tStatus: RQ=%d Iso%c ArqSz=%d Cal=%d SBA%c ITACoh%c GART64%c HTrans%c 64bit%c FW%c AGP3%c Rate=%s\n",
	       ((t & 0xff000000) >> 24U) + 1, FLAG(t, 0x10000), (t & 0xe000) >> 13,
	       (t & 0x1c00) >> 10, FLAG(t, 0x200), FLAG(t, 0x100), FLAG(t, 0x80),
	       FLAG(t, 0x40), FLAG(t, 0x20), FLAG(t, 0x10), FLAG(t, 0x8), rate);
	t = get_conf_long(d, where + 8);
	format_agp_rate(t & 7, rate, agp3);
	printf("\t\tCommand: RQ=%d ArqSz=%d Cal=%d SBA%c AGP%c GART64%c 64bit%c FW%c Rate=%s\n",
	       ((t & 0xff000000) >> 24U) + 1, (t & 0xe000) >> 13, (t & 0x1c00) >> 10,
	       FLAG(t, 0x200), FLAG(t, 0x100), FLAG(t, 0x80), FLAG(t, 0x20), FLAG(t, 0x10), rate);
}

/* VPD cannot be read from a dump or #pci raw bytes alone. */
static void cap_vpd(struct pdev *d)
{
	(void)d;
	printf("Vital Product Data\n");
	if (verbose > 1)
		printf("\t\tNot readable\n");
}

static void cap_pcix_nobridge(struct pdev *d, int where)
{
	static const u8 max_outstanding[8] = { 1, 2, 3, 4, 8, 12, 16, 32 };
	u16 command;
	u32 status;

	printf("PCI-X non-bridge device\n");
	if (verbose < 2)
		return;
	if (!config_fetch(d, where + 4, 4))
		return;
	command = get_conf_word(d, where + 2);
	status = get_conf_long(d, where + 4);
	printf("\t\tCommand: DPERE%c ERO%c RBC=%d OST=%d\n",
	       FLAG(command, 0x1), FLAG(command, 0x2),
	       1 << (9 + ((command & 0x000c) >> 2U)),
	       max_outstanding[(command & 0x0070) >> 4U]);
	printf("\t\tStatus: Dev=%02x:%02x.%d 64bit%c 133MHz%c SCD%c USC%c DC=%s DMMRBC=%u DMOST=%u DMCRS=%u RSCEM%c 266MHz%c 533MHz%c\n",
	       (status & 0xff00) >> 8, (status & 0xf8) >> 3, status & 0x7,
	       FLAG(status, 0x10000), FLAG(status, 0x20000), FLAG(status, 0x40000),
	       FLAG(status, 0x80000), (status & 0x100000) ? "bridge" : "simple",
	       1 << (9 + ((status & 0x600000) >> 21)),
	       max_outstanding[(status & 0x3800000) >> 23],
	       1 << (3 + ((status & 0x1c000000) >> 26)),
	       FLAG(status, 0x20000000), FLAG(status, 0x40000000), FLAG(status, 0x80000000));
}

static void cap_pcix_bridge(struct pdev *d, int where)
{
	static const char *const sec_clock_freq[8] = { "conv", "66MHz", "100MHz", "133MHz",
		"?4", "?5", "?6", "?7" };
	u16 secstatus;
	u32 status, upstcr, downstcr;

	printf("PCI-X bridge device\n");
	if (verbose < 2)
		return;
	if (!config_fetch(d, where + 4, 12))
		return;
	secstatus = get_conf_word(d, where + 2);
	printf("\t\tSecondary Status: 64bit%c 133MHz%c SCD%c USC%c SCO%c SRD%c Freq=%s\n",
	       FLAG(secstatus, 0x1), FLAG(secstatus, 0x2), FLAG(secstatus, 0x4),
	       FLAG(secstatus, 0x8), FLAG(secstatus, 0x10), FLAG(secstatus, 0x20),
	       sec_clock_freq[(secstatus & 0x1c0) >> 6]);
	status = get_conf_long(d, where + 4);
	printf("\t\tStatus: Dev=%02x:%02x.%d 64bit%c 133MHz%c SCD%c USC%c SCO%c SRD%c\n",
	       (status & 0xff00) >> 8, (status & 0xf8) >> 3, status & 0x7,
	       FLAG(status, 0x10000), FLAG(status, 0x20000), FLAG(status, 0x40000),
	       FLAG(status, 0x80000), FLAG(status, 0x100000), FLAG(status, 0x200000));
	upstcr = get_conf_long(d, where + 8);
	printf("\t\tUpstream: Capacity=%u CommitmentLimit=%u\n",
	       upstcr & 0xffff, (upstcr >> 16) & 0xffff);
	downstcr = get_conf_long(d, where + 12);
	printf("\t\tDownstream: Capacity=%u CommitmentLimit=%u\n",
	       downstcr & 0xffff, (downstcr >> 16) & 0xffff);
}

static void cap_pcix(struct pdev *d, int where)
{
	switch (get_conf_byte(d, PCI_HEADER_TYPE) & 0x7f) {
	case PCI_HEADER_TYPE_NORMAL:
		cap_pcix_nobridge(d, where);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		cap_pcix_bridge(d, where);
		break;
	}
}

/* HyperTransport: the summary line of each type (register details omitted). */
static void cap_ht(struct pdev *d, int where, int cmd)
{
	static const char *const names[32] = {
		[0x08] = "Switch", [0x10] = "Interrupt Discovery and Configuration",
		[0x12] = "UnitID Clumping", [0x13] = "Extended Configuration Space Access",
		[0x14] = "Address Mapping", [0x16] = "DirectRoute", [0x17] = "VCSet",
		[0x18] = "Retry Mode", [0x19] = "X86 (reserved)" };
	int type;

	(void)d;
	(void)where;
	switch (cmd & 0xe000) {
	case 0x0000:
		printf("HyperTransport: Slave or Primary Interface\n");
		return;
	case 0x2000:
		printf("HyperTransport: Host or Secondary Interface\n");
		return;
	}
	type = (cmd & 0xf800) >> 11;
	if (type == 0x11)
		printf("HyperTransport: Revision ID: %u.%02u\n", (cmd & 0xe0) >> 5, cmd & 0x1f);
	else if (type == 0x15)
		printf("HyperTransport: MSI Mapping Enable%c Fixed%c\n", FLAG(cmd, 0x1), FLAG(cmd, 0x2));
	else if (names[type])
		printf("HyperTransport: %s\n", names[type]);
	else
		printf("HyperTransport: #%02x\n", type);
}

static void cap_msi(struct pdev *d, int where, int cap)
{
	int is64 = cap & 0x80;
	u32 t;
	u16 w;

	printf("MSI: Enable%c Count=%d/%d Maskable%c 64bit%c\n",
	       FLAG(cap, 0x1), 1 << ((cap & 0x70) >> 4), 1 << ((cap & 0xe) >> 1),
	       FLAG(cap, 0x100), FLAG(cap, 0x80));
	if (verbose < 2)
		return;
	if (!config_fetch(d, where + 4, (is64 ? 12 : 8) + 2 - 4))
		return;
	printf("\t\tAddress: ");
	if (is64) {
		t = get_conf_long(d, where + 8);
		w = get_conf_word(d, where + 12);
		printf("%08x", t);
	} else {
		w = get_conf_word(d, where + 8);
	}
	t = get_conf_long(d, where + 4);
	printf("%08x  Data: %04x\n", t, w);
	if (cap & 0x100) {
		u32 mask, pending;
		int mpos = is64 ? 16 : 12;

		if (!config_fetch(d, where + mpos, 8))
			return;
		mask = get_conf_long(d, where + mpos);
		pending = get_conf_long(d, where + mpos + 4);
		printf("\t\tMasking: %08x  Pending: %08x\n", mask, pending);
	}
}

static int exp_downstream_port(int type)
{
	return type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM ||
		type == PCI_EXP_TYPE_PCIE_BRIDGE;
}

static void show_power_limit(int value, int scale)
{
	static const float scales[4] = { 1.0, 0.1, 0.01, 0.001 };

	if (scale == 0 && value == 0xff) {
		printf(">600W");
		return;
	}
	if (scale == 0 && value >= 0xf0 && value <= 0xfe)
		value = 250 + 25 * (value - 0xf0);
	printf("%gW", value * scales[scale]);
}

static const char *latency_l0s(int value)
{
	static const char *const latencies[] = { "<64ns", "<128ns", "<256ns", "<512ns",
		"<1us", "<2us", "<4us", "unlimited" };
	return latencies[value];
}

static const char *latency_l1(int value)
{
	static const char *const latencies[] = { "<1us", "<2us", "<4us", "<8us", "<16us",
		"<32us", "<64us", "unlimited" };
	return latencies[value];
}

static void cap_express_dev(struct pdev *d, int where, int type)
{
	u32 t;
	u16 w;
	int ep = type == PCI_EXP_TYPE_ENDPOINT || type == PCI_EXP_TYPE_LEG_END;

	t = get_conf_long(d, where + 4);
	printf("\t\tDevCap:\tMaxPayload %d bytes, PhantFunc %d",
	       128 << (t & 7), (1 << ((t & 0x18) >> 3)) - 1);
	if (ep)
		printf(", Latency L0s %s, L1 %s", latency_l0s((t & 0x1c0) >> 6),
		       latency_l1((t & 0xe00) >> 9));
	printf("\n");
	printf("\t\t\tExtTag%c", FLAG(t, 0x20));
	if (ep || type == PCI_EXP_TYPE_UPSTREAM || type == PCI_EXP_TYPE_PCI_BRIDGE)
		printf(" AttnBtn%c AttnInd%c PwrInd%c", FLAG(t, 0x1000), FLAG(t, 0x2000),
		       FLAG(t, 0x4000));
	printf(" RBE%c", FLAG(t, 0x8000));
	if (ep || type == PCI_EXP_TYPE_ROOT_INT_EP)
		printf(" FLReset%c", FLAG(t, 0x10000000));
	if (type == PCI_EXP_TYPE_ENDPOINT || type == PCI_EXP_TYPE_UPSTREAM ||
	    type == PCI_EXP_TYPE_PCI_BRIDGE) {
		printf(" SlotPowerLimit ");
		show_power_limit((t & 0x3fc0000) >> 18, (t & 0xc000000) >> 26);
	}
	printf("\n");

	w = get_conf_word(d, where + 8);
	printf("\t\tDevCtl:\tCorrErr%c NonFatalErr%c FatalErr%c UnsupReq%c\n",
	       FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x4), FLAG(w, 0x8));
	printf("\t\t\tRlxdOrd%c ExtTag%c PhantFunc%c AuxPwr%c NoSnoop%c",
	       FLAG(w, 0x10), FLAG(w, 0x100), FLAG(w, 0x200), FLAG(w, 0x400), FLAG(w, 0x800));
	if (type == PCI_EXP_TYPE_PCI_BRIDGE)
		printf(" BrConfRtry%c", FLAG(w, 0x8000));
	if ((ep || type == PCI_EXP_TYPE_ROOT_INT_EP) && (t & 0x10000000))
		printf(" FLReset%c", FLAG(w, 0x8000));
	printf("\n\t\t\tMaxPayload %d bytes, MaxReadReq %d bytes\n",
	       128 << ((w & 0xe0) >> 5), 128 << ((w & 0x7000) >> 12));

	w = get_conf_word(d, where + 10);
	printf("\t\tDevSta:\tCorrErr%c NonFatalErr%c FatalErr%c UnsupReq%c AuxPwr%c TransPend%c\n",
	       FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x4), FLAG(w, 0x8), FLAG(w, 0x10),
	       FLAG(w, 0x20));
}

static const char *link_speed(int speed)
{
	static const char *const s[] = { "unknown", "2.5GT/s", "5GT/s", "8GT/s", "16GT/s",
		"32GT/s", "64GT/s" };

	return speed >= 1 && speed <= 6 ? s[speed] : "unknown";
}

static const char *link_compare(int type, int sta, int cap)
{
	if (sta > cap)
		return " (overdriven)";
	if (sta == cap)
		return "";
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM ||
	    type == PCI_EXP_TYPE_PCIE_BRIDGE)
		return "";
	return " (downgraded)";
}

static const char *aspm_support(int code)
{
	static const char *const s[] = { "not supported", "L0s", "L1", "L0s L1" };

	return s[code & 3];
}

static const char *aspm_enabled(int code)
{
	static const char *const desc[] = { "Disabled", "L0s Enabled", "L1 Enabled",
		"L0s L1 Enabled" };
	return desc[code & 3];
}

static void cap_express_link(struct pdev *d, int where, int type)
{
	u32 t, aspm, cap_speed, cap_width, sta_speed, sta_width;
	u16 w;

	t = get_conf_long(d, where + 12);
	aspm = (t & 0xc00) >> 10;
	cap_speed = t & 0xf;
	cap_width = (t & 0x3f0) >> 4;
	printf("\t\tLnkCap:\tPort #%d, Speed %s, Width x%d, ASPM %s",
	       t >> 24, link_speed(cap_speed), cap_width, aspm_support(aspm));
	if (aspm) {
		printf(", Exit Latency ");
		if (aspm & 1)
			printf("L0s %s", latency_l0s((t & 0x7000) >> 12));
		if (aspm & 2)
			printf("%sL1 %s", (aspm & 1) ? ", " : "", latency_l1((t & 0x38000) >> 15));
	}
	printf("\n");
	printf("\t\t\tClockPM%c Surprise%c LLActRep%c BwNot%c ASPMOptComp%c\n",
	       FLAG(t, 0x40000), FLAG(t, 0x80000), FLAG(t, 0x100000), FLAG(t, 0x200000),
	       FLAG(t, 0x400000));

	w = get_conf_word(d, where + 16);
	printf("\t\tLnkCtl:\tASPM %s;", aspm_enabled(w & 3));
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_ENDPOINT ||
	    type == PCI_EXP_TYPE_LEG_END || type == PCI_EXP_TYPE_PCI_BRIDGE)
		printf(" RCB %d bytes,", (w & 0x8) ? 128 : 64);
	printf(" Disabled%c CommClk%c\n\t\t\tExtSynch%c ClockPM%c AutWidDis%c BWInt%c AutBWInt%c\n",
	       FLAG(w, 0x10), FLAG(w, 0x40), FLAG(w, 0x80), FLAG(w, 0x100), FLAG(w, 0x200),
	       FLAG(w, 0x400), FLAG(w, 0x800));

	w = get_conf_word(d, where + 18);
	sta_speed = w & 0xf;
	sta_width = (w & 0x3f0) >> 4;
	printf("\t\tLnkSta:\tSpeed %s%s, Width x%d%s\n", link_speed(sta_speed),
	       link_compare(type, sta_speed, cap_speed), sta_width,
	       link_compare(type, sta_width, cap_width));
	printf("\t\t\tTrErr%c Train%c SlotClk%c DLActive%c BWMgmt%c ABWMgmt%c\n",
	       FLAG(w, 0x400), FLAG(w, 0x800), FLAG(w, 0x1000), FLAG(w, 0x2000),
	       FLAG(w, 0x4000), FLAG(w, 0x8000));
}

static const char *indicator(int code)
{
	static const char *const names[] = { "Unknown", "On", "Blink", "Off" };

	return names[code & 3];
}

static void cap_express_slot(struct pdev *d, int where)
{
	u32 t;
	u16 w;

	t = get_conf_long(d, where + 20);
	printf("\t\tSltCap:\tAttnBtn%c PwrCtrl%c MRL%c AttnInd%c PwrInd%c HotPlug%c Surprise%c\n",
	       FLAG(t, 0x1), FLAG(t, 0x2), FLAG(t, 0x4), FLAG(t, 0x8), FLAG(t, 0x10),
	       FLAG(t, 0x40), FLAG(t, 0x20));
	printf("\t\t\tSlot #%d, PowerLimit ", t >> 19);
	show_power_limit((t & 0x7f80) >> 7, (t & 0x18000) >> 15);
	printf("; Interlock%c NoCompl%c\n", FLAG(t, 0x20000), FLAG(t, 0x40000));

	w = get_conf_word(d, where + 24);
	printf("\t\tSltCtl:\tEnable: AttnBtn%c PwrFlt%c MRL%c PresDet%c CmdCplt%c HPIrq%c LinkChg%c\n",
	       FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x4), FLAG(w, 0x8), FLAG(w, 0x10),
	       FLAG(w, 0x20), FLAG(w, 0x1000));
	printf("\t\t\tControl: AttnInd %s, PwrInd %s, Power%c Interlock%c\n",
	       indicator((w & 0xc0) >> 6), indicator((w & 0x300) >> 8), FLAG(w, 0x400),
	       FLAG(w, 0x800));

	w = get_conf_word(d, where + 26);
	printf("\t\tSltSta:\tStatus: AttnBtn%c PowerFlt%c MRL%c CmdCplt%c PresDet%c Interlock%c\n",
	       FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x20), FLAG(w, 0x10), FLAG(w, 0x40),
	       FLAG(w, 0x80));
	printf("\t\t\tChanged: MRL%c PresDet%c LinkState%c\n",
	       FLAG(w, 0x4), FLAG(w, 0x8), FLAG(w, 0x100));
}

static void cap_express_root(struct pdev *d, int where)
{
	u32 w;

	w = get_conf_word(d, where + 30);
	printf("\t\tRootCap: CRSVisible%c\n", FLAG(w, 0x1));
	w = get_conf_word(d, where + 28);
	printf("\t\tRootCtl: ErrCorrectable%c ErrNon-Fatal%c ErrFatal%c PMEIntEna%c CRSVisible%c\n",
	       FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x4), FLAG(w, 0x8), FLAG(w, 0x10));
	w = get_conf_long(d, where + 32);
	printf("\t\tRootSta: PME ReqID %04x, PMEStatus%c PMEPending%c\n",
	       w & 0xffff, FLAG(w, 0x10000), FLAG(w, 0x20000));
}

static const char *dev2_timeout_range(int type)
{
	switch (type) {
	case 0:
		return "Not Supported";
	case 1:
		return "Range A";
	case 2:
		return "Range B";
	case 3:
		return "Range AB";
	case 6:
		return "Range BC";
	case 7:
		return "Range ABC";
	case 14:
		return "Range BCD";
	case 15:
		return "Range ABCD";
	}
	return "Unknown";
}

static const char *dev2_timeout_value(int type)
{
	switch (type) {
	case 0:
		return "50us to 50ms";
	case 1:
		return "50us to 100us";
	case 2:
		return "1ms to 10ms";
	case 5:
		return "16ms to 55ms";
	case 6:
		return "65ms to 210ms";
	case 9:
		return "260ms to 900ms";
	case 10:
		return "1s to 3.5s";
	case 13:
		return "4s to 13s";
	case 14:
		return "17s to 64s";
	}
	return "Unknown";
}

static const char *devcap2_obff(int obff)
{
	static const char *const s[] = { "Not Supported", "Via message", "Via WAKE#",
		"Via message/WAKE#" };
	return s[obff & 3];
}

static const char *devcap2_epr(int epr)
{
	static const char *const s[] = { "Not Supported", "Dev Specific",
		"Form Factor Dev Specific", "Reserved" };
	return s[epr & 3];
}

static const char *devcap2_lncls(int lncls)
{
	static const char *const s[] = { "Not Supported", "64byte cachelines",
		"128byte cachelines", "Reserved" };
	return s[lncls & 3];
}

static const char *devcap2_tphcomp(int tph)
{
	static const char *const s[] = { "TPHComp- ExtTPHComp-", "TPHComp+ ExtTPHComp-", "",
		"TPHComp+ ExtTPHComp+" };
	return s[tph & 3];
}

static const char *devctl2_obff(int obff)
{
	static const char *const s[] = { "Disabled", "Via message A", "Via message B",
		"Via WAKE#" };
	return s[obff & 3];
}

/* pciutils' view: a BAR with an address or a size that is not I/O. */
static int device_has_memory_space_bar(struct pdev *d)
{
	for (int i = 0; i < 6; i++)
		if ((d->base_addr[i] || d->size[i]) && !(d->base_addr[i] & PCI_BASE_ADDRESS_SPACE_IO))
			return 1;
	return 0;
}

static void cap_express_dev2(struct pdev *d, int where, int type)
{
	u32 l;
	u16 w;
	int has_mem_bar = device_has_memory_space_bar(d);

	l = get_conf_long(d, where + 36);
	printf("\t\tDevCap2: Completion Timeout: %s, TimeoutDis%c NROPrPrP%c LTR%c",
	       dev2_timeout_range(l & 0xf), FLAG(l, 0x10), FLAG(l, 0x400), FLAG(l, 0x800));
	printf("\n\t\t\t 10BitTagComp%c 10BitTagReq%c OBFF %s, ExtFmt%c EETLPPrefix%c",
	       FLAG(l, 0x10000), FLAG(l, 0x20000), devcap2_obff((l >> 18) & 3),
	       FLAG(l, 0x100000), FLAG(l, 0x200000));
	if (l & 0x200000)
		printf(", MaxEETLPPrefixes %d", ((l >> 22) & 3) ? (int)((l >> 22) & 3) : 4);
	printf("\n\t\t\t EmergencyPowerReduction %s, EmergencyPowerReductionInit%c",
	       devcap2_epr((l >> 24) & 3), FLAG(l, 0x4000000));
	printf("\n\t\t\t FRS%c", FLAG(l, 0x80000000));
	if (type == PCI_EXP_TYPE_ROOT_PORT)
		printf(" LN System CLS %s,", devcap2_lncls((l >> 14) & 3));
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_ENDPOINT)
		printf(" %s", devcap2_tphcomp((l >> 12) & 3));
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM)
		printf(" ARIFwd%c\n", FLAG(l, 0x20));
	else
		printf("\n");
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_UPSTREAM ||
	    type == PCI_EXP_TYPE_DOWNSTREAM || has_mem_bar) {
		printf("\t\t\t AtomicOpsCap:");
		if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_UPSTREAM ||
		    type == PCI_EXP_TYPE_DOWNSTREAM)
			printf(" Routing%c", FLAG(l, 0x40));
		if (type == PCI_EXP_TYPE_ROOT_PORT || has_mem_bar)
			printf(" 32bit%c 64bit%c 128bitCAS%c", FLAG(l, 0x80), FLAG(l, 0x100),
			       FLAG(l, 0x200));
		printf("\n");
	}

	w = get_conf_word(d, where + 40);
	printf("\t\tDevCtl2: Completion Timeout: %s, TimeoutDis%c LTR%c 10BitTagReq%c OBFF %s,",
	       dev2_timeout_value(w & 0xf), FLAG(w, 0x10), FLAG(w, 0x400), FLAG(w, 0x1000),
	       devctl2_obff((w >> 13) & 3));
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM)
		printf(" ARIFwd%c\n", FLAG(w, 0x20));
	else
		printf("\n");
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_UPSTREAM ||
	    type == PCI_EXP_TYPE_DOWNSTREAM || type == PCI_EXP_TYPE_ENDPOINT ||
	    type == PCI_EXP_TYPE_ROOT_INT_EP || type == PCI_EXP_TYPE_LEG_END) {
		printf("\t\t\t AtomicOpsCtl:");
		if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_ENDPOINT ||
		    type == PCI_EXP_TYPE_ROOT_INT_EP || type == PCI_EXP_TYPE_LEG_END)
			printf(" ReqEn%c", FLAG(w, 0x40));
		if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_UPSTREAM ||
		    type == PCI_EXP_TYPE_DOWNSTREAM)
			printf(" EgressBlck%c", FLAG(w, 0x80));
		printf("\n");
	}
}

static const char *link2_speed_cap(int vector)
{
	if (vector & 0x60)
		return "RsvdP";
	if (vector & 0x10)
		return "2.5-32GT/s";
	if (vector & 0x08)
		return "2.5-16GT/s";
	if (vector & 0x04)
		return "2.5-8GT/s";
	if (vector & 0x02)
		return "2.5-5GT/s";
	if (vector & 0x01)
		return "2.5GT/s";
	return "Unknown";
}

static const char *link2_speed(int type)
{
	static const char *const s[] = { "2.5GT/s", "2.5GT/s", "5GT/s", "8GT/s", "16GT/s",
		"32GT/s", "64GT/s" };

	return type >= 0 && type <= 6 ? s[type] : "Unknown";
}

static const char *link2_deemphasis(int type)
{
	switch (type) {
	case 0:
		return "-6dB";
	case 1:
		return "-3.5dB";
	}
	return "Unknown";
}

static const char *link2_compliance_preset(int type)
{
	static const char *const s[] = { "-6dB de-emphasis, 0dB preshoot",
		"-3.5dB de-emphasis, 0dB preshoot", "-4.4dB de-emphasis, 0dB preshoot",
		"-2.5dB de-emphasis, 0dB preshoot", "0dB de-emphasis, 0dB preshoot",
		"0dB de-emphasis, 1.9dB preshoot", "0dB de-emphasis, 2.5dB preshoot",
		"-6.0dB de-emphasis, 3.5dB preshoot", "-3.5dB de-emphasis, 3.5dB preshoot",
		"0dB de-emphasis, 3.5dB preshoot" };

	return type >= 0 && type <= 9 ? s[type] : "Unknown";
}

static const char *link2_transmargin(int type)
{
	switch (type) {
	case 0:
		return "Normal Operating Range";
	case 1:
		return "800-1200mV(full-swing)/400-700mV(half-swing)";
	case 2:
	case 3:
	case 4:
	case 5:
		return "200-400mV(full-swing)/100-200mV(half-swing)";
	}
	return "Unknown";
}

static const char *link2_crosslink_res(int crosslink)
{
	static const char *const s[] = { "unsupported", "Upstream Port", "Downstream Port",
		"incomplete" };
	return s[crosslink & 3];
}

static const char *link2_component(int presence)
{
	switch (presence) {
	case 0:
		return "Link Down - Not Determined";
	case 1:
		return "Link Down - Not Present";
	case 2:
		return "Link Down - Present";
	case 4:
		return "Link Up - Present";
	case 5:
		return "Link Up - Present and DRS Received";
	}
	return "Reserved";
}

static void cap_express_link2(struct pdev *d, int where, int type)
{
	u32 l = 0;
	u16 w;

	if (!((type == PCI_EXP_TYPE_ENDPOINT || type == PCI_EXP_TYPE_LEG_END) &&
	      (d->dev != 0 || d->func != 0))) {
		l = get_conf_long(d, where + 44);
		if (l)
			printf("\t\tLnkCap2: Supported Link Speeds: %s, Crosslink%c Retimer%c 2Retimers%c DRS%c\n",
			       link2_speed_cap((l >> 1) & 0x7f), FLAG(l, 0x100), FLAG(l, 0x800000),
			       FLAG(l, 0x1000000), FLAG(l, 0x80000000));
		w = get_conf_word(d, where + 48);
		printf("\t\tLnkCtl2: Target Link Speed: %s, EnterCompliance%c SpeedDis%c",
		       link2_speed(w & 0xf), FLAG(w, 0x10), FLAG(w, 0x20));
		if (type == PCI_EXP_TYPE_DOWNSTREAM)
			printf(", Selectable De-emphasis: %s", link2_deemphasis((w >> 6) & 1));
		printf("\n\t\t\t Transmit Margin: %s, EnterModifiedCompliance%c ComplianceSOS%c\n"
		       "\t\t\t Compliance Preset/De-emphasis: %s\n",
		       link2_transmargin((w >> 7) & 7), FLAG(w, 0x400), FLAG(w, 0x800),
		       link2_compliance_preset((w >> 12) & 0xf));
	}
	w = get_conf_word(d, where + 50);
	printf("\t\tLnkSta2: Current De-emphasis Level: %s, EqualizationComplete%c EqualizationPhase1%c\n"
	       "\t\t\t EqualizationPhase2%c EqualizationPhase3%c LinkEqualizationRequest%c\n"
	       "\t\t\t Retimer%c 2Retimers%c CrosslinkRes: %s",
	       link2_deemphasis(w & 1), FLAG(w, 0x2), FLAG(w, 0x4), FLAG(w, 0x8), FLAG(w, 0x10),
	       FLAG(w, 0x20), FLAG(w, 0x40), FLAG(w, 0x80), link2_crosslink_res((w >> 8) & 3));
	if (exp_downstream_port(type) && (l & 0x80000000))
		printf(", DRS%c\n\t\t\t DownstreamComp: %s\n", FLAG(w, 0x8000),
		       link2_component((w >> 12) & 7));
	else
		printf("\n");
}

static int cap_express(struct pdev *d, int where, int cap)
{
	int type = (cap & 0xf0) >> 4;
	int size, slot = 0, link = 1;

	printf("Express ");
	if (verbose >= 2)
		printf("(v%d) ", cap & 0xf);
	switch (type) {
	case PCI_EXP_TYPE_ENDPOINT:
		printf("Endpoint");
		break;
	case PCI_EXP_TYPE_LEG_END:
		printf("Legacy Endpoint");
		break;
	case PCI_EXP_TYPE_ROOT_PORT:
		slot = cap & 0x100;
		printf("Root Port (Slot%c)", FLAG(cap, 0x100));
		break;
	case PCI_EXP_TYPE_UPSTREAM:
		printf("Upstream Port");
		break;
	case PCI_EXP_TYPE_DOWNSTREAM:
		slot = cap & 0x100;
		printf("Downstream Port (Slot%c)", FLAG(cap, 0x100));
		break;
	case PCI_EXP_TYPE_PCI_BRIDGE:
		printf("PCI-Express to PCI/PCI-X Bridge");
		break;
	case PCI_EXP_TYPE_PCIE_BRIDGE:
		slot = cap & 0x100;
		printf("PCI/PCI-X to PCI-Express Bridge (Slot%c)", FLAG(cap, 0x100));
		break;
	case PCI_EXP_TYPE_ROOT_INT_EP:
		link = 0;
		printf("Root Complex Integrated Endpoint");
		break;
	case PCI_EXP_TYPE_ROOT_EC:
		link = 0;
		printf("Root Complex Event Collector");
		break;
	default:
		printf("Unknown type %d", type);
	}
	printf(", MSI %02x\n", (cap & 0x3e00) >> 9);
	if (verbose < 2)
		return type;

	size = 16;
	if (slot)
		size = 24;
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_ROOT_EC)
		size = 32;
	if (!config_fetch(d, where + 4, size))
		return type;
	cap_express_dev(d, where, type);
	if (link)
		cap_express_link(d, where, type);
	if (slot)
		cap_express_slot(d, where);
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_ROOT_EC)
		cap_express_root(d, where);
	if ((cap & 0xf) < 2)
		return type;
	size = 16;
	if (slot)
		size = 24;
	if (!config_fetch(d, where + 36, size))
		return type;
	cap_express_dev2(d, where, type);
	if (link)
		cap_express_link2(d, where, type);
	return type;
}

static void cap_msix(struct pdev *d, int where, int cap)
{
	u32 off;

	printf("MSI-X: Enable%c Count=%d Masked%c\n", FLAG(cap, 0x8000), (cap & 0x7ff) + 1,
	       FLAG(cap, 0x4000));
	if (verbose < 2 || !config_fetch(d, where + 4, 8))
		return;
	off = get_conf_long(d, where + 4);
	printf("\t\tVector table: BAR=%d offset=%08x\n", off & 7, off & ~7u);
	off = get_conf_long(d, where + 8);
	printf("\t\tPBA: BAR=%d offset=%08x\n", off & 7, off & ~7u);
}

static void cap_slotid(int cap)
{
	int esr = cap & 0xff, chs = cap >> 8;

	printf("Slot ID: %d slots, First%c, chassis %02x\n", esr & 0x1f, FLAG(esr, 0x20), chs);
}

static void cap_ssvid(struct pdev *d, int where)
{
	char ssnamebuf[256];
	u16 subsys_v, subsys_d;

	if (!config_fetch(d, where, 8))
		return;
	subsys_v = get_conf_word(d, where + PCI_SSVID_VENDOR);
	subsys_d = get_conf_word(d, where + PCI_SSVID_DEVICE);
	printf("Subsystem: %s\n",
	       lookup_name(ssnamebuf, sizeof(ssnamebuf),
			   PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_VENDOR | PCIIDS_LOOKUP_DEVICE,
			   d->vendor_id, d->device_id, subsys_v, subsys_d));
}

static void cap_debug_port(int cap)
{
	printf("Debug port: BAR=%d offset=%04x\n", cap >> 13, cap & 0x1fff);
}

static void cap_af(struct pdev *d, int where)
{
	u8 reg;

	printf("PCI Advanced Features\n");
	if (verbose < 2 || !config_fetch(d, where + 3, 3))
		return;
	reg = get_conf_byte(d, where + 3);
	printf("\t\tAFCap: TP%c FLR%c\n", FLAG(reg, 0x1), FLAG(reg, 0x2));
	reg = get_conf_byte(d, where + 4);
	printf("\t\tAFCtrl: FLR%c\n", FLAG(reg, 0x1));
	reg = get_conf_byte(d, where + 5);
	printf("\t\tAFStatus: TP%c\n", FLAG(reg, 0x1));
}

static void cap_sata_hba(struct pdev *d, int where, int cap)
{
	u32 bars;
	int bar;

	printf("SATA HBA v%d.%d", BITS(cap, 4, 4), BITS(cap, 0, 4));
	if (verbose < 2 || !config_fetch(d, where + 4, 4)) {
		printf("\n");
		return;
	}
	bars = get_conf_long(d, where + 4);
	bar = BITS(bars, 0, 4);
	if (bar >= 4 && bar <= 9)
		printf(" BAR%d Offset=%08x\n", bar - 4, BITS(bars, 4, 20));
	else if (bar == 15)
		printf(" InCfgSpace\n");
	else
		printf(" BAR??%d\n", bar);
}

static const char *ea_property(int p, int is_secondary)
{
	switch (p) {
	case 0x00:
		return "memory space, non-prefetchable";
	case 0x01:
		return "memory space, prefetchable";
	case 0x02:
		return "I/O space";
	case 0x03:
		return "VF memory space, prefetchable";
	case 0x04:
		return "VF memory space, non-prefetchable";
	case 0x05:
		return "allocation behind bridge, non-prefetchable memory";
	case 0x06:
		return "allocation behind bridge, prefetchable memory";
	case 0x07:
		return "allocation behind bridge, I/O space";
	case 0xfd:
		return "memory space resource unavailable for use";
	case 0xfe:
		return "I/O space resource unavailable for use";
	case 0xff:
		return is_secondary ? "entry unavailable for use, PrimaryProperties should be used" :
			"entry unavailable for use";
	}
	return NULL;
}

static void cap_ea(struct pdev *d, int where, int cap)
{
	int entry_base = where + 4, num_entries = BITS(cap, 0, 6);
	u8 htype = get_conf_byte(d, PCI_HEADER_TYPE) & 0x7f;

	printf("Enhanced Allocation (EA): NumEntries=%u", num_entries);
	if (htype == PCI_HEADER_TYPE_BRIDGE) {
		entry_base += 4;
		if (!config_fetch(d, where + 4, 2)) {
			printf("\n");
			return;
		}
		printf(", secondary=%d, subordinate=%d", get_conf_byte(d, where + 4),
		       get_conf_byte(d, where + 5));
	}
	printf("\n");
	if (verbose < 2)
		return;
	for (int entry = 0; entry < num_entries; entry++) {
		int max_offset_high_pos, has_base_high, has_max_offset_high, es, bei, pp, sp;
		u32 entry_header, base, max_offset;
		const char *prop_text;

		if (!config_fetch(d, entry_base, 4))
			return;
		entry_header = get_conf_long(d, entry_base);
		es = BITS(entry_header, 0, 3);
		bei = BITS(entry_header, 4, 4);
		pp = BITS(entry_header, 8, 8);
		sp = BITS(entry_header, 16, 8);
		if (!config_fetch(d, entry_base + 4, es * 4))
			return;
		printf("\t\tEntry %u: Enable%c Writable%c EntrySize=%u\n", entry,
		       FLAG(entry_header, 0x80000000), FLAG(entry_header, 0x40000000), es);
		printf("\t\t\t BAR Equivalent Indicator: ");
		if (bei <= 5)
			printf("BAR %u", bei);
		else if (bei == 6)
			printf("resource behind function");
		else if (bei == 7)
			printf("not indicated");
		else if (bei == 8)
			printf("expansion ROM");
		else if (bei <= 14)
			printf("VF-BAR %u", bei - 9);
		else
			printf("reserved");
		printf("\n");
		prop_text = ea_property(pp, 0);
		printf("\t\t\t PrimaryProperties: ");
		if (prop_text)
			printf("%s\n", prop_text);
		else
			printf("[%02x]\n", pp);
		prop_text = ea_property(sp, 1);
		printf("\t\t\t SecondaryProperties: ");
		if (prop_text)
			printf("%s\n", prop_text);
		else
			printf("[%02x]\n", sp);
		base = get_conf_long(d, entry_base + 4);
		has_base_high = (base & 2) != 0;
		base &= ~3u;
		max_offset = get_conf_long(d, entry_base + 8);
		has_max_offset_high = (max_offset & 2) != 0;
		max_offset |= 3;
		max_offset_high_pos = entry_base + 12;
		printf("\t\t\t Base: ");
		if (has_base_high) {
			printf("%x", get_conf_long(d, entry_base + 12));
			max_offset_high_pos += 4;
		}
		printf("%08x\n", base);
		printf("\t\t\t MaxOffset: ");
		if (has_max_offset_high)
			printf("%x", get_conf_long(d, max_offset_high_pos));
		printf("%08x\n", max_offset);
		entry_base += 4 + 4 * es;
	}
}

/* Walks the capability list at pointer register `where`. */
void show_caps(struct pdev *d, int where)
{
	int can_have_ext_caps = 0, type = -1;

	if (get_conf_word(d, PCI_STATUS) & PCI_STATUS_CAP_LIST) {
		u8 been_there[256];

		where = get_conf_byte(d, where) & ~3;
		memset(been_there, 0, sizeof(been_there));
		while (where) {
			int id, next, cap;

			printf("\tCapabilities: ");
			if (!config_fetch(d, where, 4)) {
				puts("<access denied>");
				break;
			}
			id = get_conf_byte(d, where + PCI_CAP_LIST_ID);
			next = get_conf_byte(d, where + PCI_CAP_LIST_NEXT) & ~3;
			cap = get_conf_word(d, where + PCI_CAP_FLAGS);
			printf("[%02x] ", where);
			if (been_there[where]++) {
				printf("<chain looped>\n");
				break;
			}
			if (id == 0xff) {
				printf("<chain broken>\n");
				break;
			}
			switch (id) {
			case PCI_CAP_ID_NULL:
				printf("Null\n");
				break;
			case PCI_CAP_ID_PM:
				cap_pm(d, where, cap);
				break;
			case PCI_CAP_ID_AGP:
				cap_agp(d, where, cap);
				break;
			case PCI_CAP_ID_VPD:
				cap_vpd(d);
				break;
			case PCI_CAP_ID_SLOTID:
				cap_slotid(cap);
				break;
			case PCI_CAP_ID_MSI:
				cap_msi(d, where, cap);
				break;
			case PCI_CAP_ID_CHSWP:
				printf("CompactPCI hot-swap <?>\n");
				break;
			case PCI_CAP_ID_PCIX:
				cap_pcix(d, where);
				can_have_ext_caps = 1;
				break;
			case PCI_CAP_ID_HT:
				cap_ht(d, where, cap);
				break;
			case PCI_CAP_ID_VNDR:
				show_vendor_caps(d, where, cap);
				break;
			case PCI_CAP_ID_DBG:
				cap_debug_port(cap);
				break;
			case PCI_CAP_ID_CCRC:
				printf("CompactPCI central resource control <?>\n");
				break;
			case PCI_CAP_ID_HOTPLUG:
				printf("Hot-plug capable\n");
				break;
			case PCI_CAP_ID_SSVID:
				cap_ssvid(d, where);
				break;
			case PCI_CAP_ID_AGP3:
				printf("AGP3 <?>\n");
				break;
			case PCI_CAP_ID_SECURE:
				printf("Secure device <?>\n");
				break;
			case PCI_CAP_ID_EXP:
				type = cap_express(d, where, cap);
				can_have_ext_caps = 1;
				break;
			case PCI_CAP_ID_MSIX:
				cap_msix(d, where, cap);
				break;
			case PCI_CAP_ID_SATA:
				cap_sata_hba(d, where, cap);
				break;
			case PCI_CAP_ID_AF:
				cap_af(d, where);
				break;
			case PCI_CAP_ID_EA:
				cap_ea(d, where, cap);
				break;
			default:
				printf("Capability ID %#02x [%04x]\n", id, cap);
			}
			where = next;
		}
	}
	if (can_have_ext_caps)
		show_ext_caps(d, type);
}
