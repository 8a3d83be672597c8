/*
 * ecaps.c - the PCI Express extended capability list (config space from
 * 0x100) as pciutils 3.9.0 prints it: AER, VC, DSN, ACS, ARI, ATS, SR-IOV,
 * multicast, PRI, TPH, LTR, secondary PCIe, PASID, DPC, vendor-specific,
 * and the names of the rest.
 *
 * Model: show_ext_caps() follows the 12-bit next pointers from 0x100 while
 * the header is neither 0 nor all ones, marking each offset; a revisit
 * prints "<chain looped>".  Decoders print their register lines with -vv.
 */
#include <string.h>

#include "lspci.h"
#include "regs.h"

static void cap_tph(struct pdev *d, int where)
{
	u32 tph_cap;

	printf("Transaction Processing Hints\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 4))
		return;
	tph_cap = get_conf_long(d, where + 4);
	if (tph_cap & 0x2)
		printf("\t\tInterrupt vector mode supported\n");
	if (tph_cap & 0x4)
		printf("\t\tDevice specific mode supported\n");
	if (tph_cap & 0x100)
		printf("\t\tExtended requester support\n");
	switch (tph_cap & 0x600) {
	case 0x000:
		printf("\t\tNo steering table available\n");
		break;
	case 0x200:
		printf("\t\tSteering table in TPH capability structure\n");
		break;
	case 0x400:
		printf("\t\tSteering table in MSI-X table\n");
		break;
	default:
		printf("\t\tReserved steering table location\n");
	}
}

static void cap_ltr(struct pdev *d, int where)
{
	u32 scale;
	u16 snoop, nosnoop;

	printf("Latency Tolerance Reporting\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 4))
		return;
	snoop = get_conf_word(d, where + 4);
	scale = 1u << ((((snoop >> 10) & 7) * 5) & 31);	/* x86 shift, as pciutils gets */
	printf("\t\tMax snoop latency: %lluns\n", (unsigned long long)(snoop & 0x3ff) * scale);
	nosnoop = get_conf_word(d, where + 6);
	scale = 1u << ((((nosnoop >> 10) & 7) * 5) & 31);
	printf("\t\tMax no snoop latency: %lluns\n", (unsigned long long)(nosnoop & 0x3ff) * scale);
}

static void cap_sec(struct pdev *d, int where)
{
	u32 ctrl3, lane_err_stat;
	u8 lane;

	printf("Secondary PCI Express\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 12))
		return;
	ctrl3 = get_conf_word(d, where + 4);
	printf("\t\tLnkCtl3: LnkEquIntrruptEn%c PerformEqu%c\n", FLAG(ctrl3, 0x2), FLAG(ctrl3, 0x1));
	lane_err_stat = get_conf_word(d, where + 8);
	printf("\t\tLaneErrStat: ");
	if (lane_err_stat) {
		printf("LaneErr at lane:");
		for (lane = 0; lane_err_stat; lane_err_stat >>= 1, lane++)
			if (lane_err_stat & 1)
				printf(" %u", lane);
	} else {
		printf("0");
	}
	printf("\n");
}

static void cap_dsn(struct pdev *d, int where)
{
	u32 t1, t2;

	if (!config_fetch(d, where + 4, 8))
		return;
	t1 = get_conf_long(d, where + 4);
	t2 = get_conf_long(d, where + 8);
	printf("Device Serial Number %02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x\n",
	       t2 >> 24, (t2 >> 16) & 0xff, (t2 >> 8) & 0xff, t2 & 0xff,
	       t1 >> 24, (t1 >> 16) & 0xff, (t1 >> 8) & 0xff, t1 & 0xff);
}

static void aer_uncor(const char *name, u32 l)
{
	printf("\t\t%s:\tDLP%c SDES%c TLP%c FCP%c CmpltTO%c CmpltAbrt%c UnxCmplt%c RxOF%c MalfTLP%c ECRC%c UnsupReq%c ACSViol%c\n",
	       name, FLAG(l, 0x10), FLAG(l, 0x20), FLAG(l, 0x1000), FLAG(l, 0x2000),
	       FLAG(l, 0x4000), FLAG(l, 0x8000), FLAG(l, 0x10000), FLAG(l, 0x20000),
	       FLAG(l, 0x40000), FLAG(l, 0x80000), FLAG(l, 0x100000), FLAG(l, 0x200000));
}

static void aer_cor(const char *name, u32 l)
{
	printf("\t\t%s:\tRxErr%c BadTLP%c BadDLLP%c Rollover%c Timeout%c AdvNonFatalErr%c\n",
	       name, FLAG(l, 0x1), FLAG(l, 0x40), FLAG(l, 0x80), FLAG(l, 0x100),
	       FLAG(l, 0x1000), FLAG(l, 0x2000));
}

static void cap_aer(struct pdev *d, int where, int type)
{
	u32 l;
	u16 w;

	printf("Advanced Error Reporting\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 40))
		return;
	aer_uncor("UESta", get_conf_long(d, where + 4));
	aer_uncor("UEMsk", get_conf_long(d, where + 8));
	aer_uncor("UESvrt", get_conf_long(d, where + 12));
	aer_cor("CESta", get_conf_long(d, where + 16));
	aer_cor("CEMsk", get_conf_long(d, where + 20));
	l = get_conf_long(d, where + 24);
	printf("\t\tAERCap:\tFirst Error Pointer: %02x, ECRCGenCap%c ECRCGenEn%c ECRCChkCap%c ECRCChkEn%c\n"
	       "\t\t\tMultHdrRecCap%c MultHdrRecEn%c TLPPfxPres%c HdrLogCap%c\n",
	       l & 0x1f, FLAG(l, 0x20), FLAG(l, 0x40), FLAG(l, 0x80), FLAG(l, 0x100),
	       FLAG(l, 0x200), FLAG(l, 0x400), FLAG(l, 0x800), FLAG(l, 0x1000));
	printf("\t\tHeaderLog: %08x %08x %08x %08x\n", get_conf_long(d, where + 28),
	       get_conf_long(d, where + 32), get_conf_long(d, where + 36),
	       get_conf_long(d, where + 40));
	if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_ROOT_EC) {
		if (!config_fetch(d, where + 44, 12))
			return;
		l = get_conf_long(d, where + 44);
		printf("\t\tRootCmd: CERptEn%c NFERptEn%c FERptEn%c\n",
		       FLAG(l, 0x1), FLAG(l, 0x2), FLAG(l, 0x4));
		l = get_conf_long(d, where + 48);
		printf("\t\tRootSta: CERcvd%c MultCERcvd%c UERcvd%c MultUERcvd%c\n"
		       "\t\t\t FirstFatal%c NonFatalMsg%c FatalMsg%c IntMsg %d\n",
		       FLAG(l, 0x1), FLAG(l, 0x2), FLAG(l, 0x4), FLAG(l, 0x8), FLAG(l, 0x10),
		       FLAG(l, 0x20), FLAG(l, 0x40), (l >> 27) & 0x1f);
		w = get_conf_word(d, where + 52);
		printf("\t\tErrorSrc: ERR_COR: %04x ", w);
		w = get_conf_word(d, where + 54);
		printf("ERR_FATAL/NONFATAL: %04x\n", w);
	}
}

static void cap_dpc(struct pdev *d, int where)
{
	u16 l;

	printf("Downstream Port Containment\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 8))
		return;
	l = get_conf_word(d, where + 4);
	printf("\t\tDpcCap:\tINT Msg #%d, RPExt%c PoisonedTLP%c SwTrigger%c RP PIO Log %d, DL_ActiveErr%c\n",
	       l & 0x1f, FLAG(l, 0x20), FLAG(l, 0x40), FLAG(l, 0x80), (l >> 8) & 0xf,
	       FLAG(l, 0x1000));
	l = get_conf_word(d, where + 6);
	printf("\t\tDpcCtl:\tTrigger:%x Cmpl%c INT%c ErrCor%c PoisonedTLP%c SwTrigger%c DL_ActiveErr%c\n",
	       l & 3, FLAG(l, 0x4), FLAG(l, 0x8), FLAG(l, 0x10), FLAG(l, 0x20), FLAG(l, 0x40),
	       FLAG(l, 0x80));
	l = get_conf_word(d, where + 8);
	printf("\t\tDpcSta:\tTrigger%c Reason:%02x INT%c RPBusy%c TriggerExt:%02x RP PIO ErrPtr:%02x\n",
	       FLAG(l, 0x1), (l >> 1) & 3, FLAG(l, 0x8), FLAG(l, 0x10), (l >> 5) & 3,
	       (l >> 8) & 0x1f);
	l = get_conf_word(d, where + 10);
	printf("\t\tSource:\t%04x\n", l);
}

static void cap_acs(struct pdev *d, int where)
{
	u16 w;

	printf("Access Control Services\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 4))
		return;
	w = get_conf_word(d, where + 4);
	printf("\t\tACSCap:\tSrcValid%c TransBlk%c ReqRedir%c CmpltRedir%c UpstreamFwd%c EgressCtrl%c DirectTrans%c\n",
	       FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x4), FLAG(w, 0x8), FLAG(w, 0x10),
	       FLAG(w, 0x20), FLAG(w, 0x40));
	w = get_conf_word(d, where + 6);
	printf("\t\tACSCtl:\tSrcValid%c TransBlk%c ReqRedir%c CmpltRedir%c UpstreamFwd%c EgressCtrl%c DirectTrans%c\n",
	       FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x4), FLAG(w, 0x8), FLAG(w, 0x10),
	       FLAG(w, 0x20), FLAG(w, 0x40));
}

static void cap_ari(struct pdev *d, int where)
{
	u16 w;

	printf("Alternative Routing-ID Interpretation (ARI)\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 4))
		return;
	w = get_conf_word(d, where + 4);
	printf("\t\tARICap:\tMFVC%c ACS%c, Next Function: %d\n", FLAG(w, 0x1), FLAG(w, 0x2),
	       (w >> 8) & 0xff);
	w = get_conf_word(d, where + 6);
	printf("\t\tARICtl:\tMFVC%c ACS%c, Function Group: %d\n", FLAG(w, 0x1), FLAG(w, 0x2),
	       (w >> 4) & 7);
}

static void cap_ats(struct pdev *d, int where)
{
	u16 w;

	printf("Address Translation Service (ATS)\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 4))
		return;
	w = get_conf_word(d, where + 4);
	printf("\t\tATSCap:\tInvalidate Queue Depth: %02x\n", w & 0x1f);
	w = get_conf_word(d, where + 6);
	printf("\t\tATSCtl:\tEnable%c, Smallest Translation Unit: %02x\n", FLAG(w, 0x8000),
	       w & 0x1f);
}

static void cap_pri(struct pdev *d, int where)
{
	u16 w;
	u32 l;

	printf("Page Request Interface (PRI)\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 0xc))
		return;
	w = get_conf_word(d, where + 4);
	printf("\t\tPRICtl: Enable%c Reset%c\n", FLAG(w, 0x1), FLAG(w, 0x2));
	w = get_conf_word(d, where + 6);
	printf("\t\tPRISta: RF%c UPRGI%c Stopped%c\n", FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x100));
	l = get_conf_long(d, where + 8);
	printf("\t\tPage Request Capacity: %08x, ", l);
	l = get_conf_long(d, where + 12);
	printf("Page Request Allocation: %08x\n", l);
}

static void cap_pasid(struct pdev *d, int where)
{
	u16 w;

	printf("Process Address Space ID (PASID)\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 4))
		return;
	w = get_conf_word(d, where + 4);
	printf("\t\tPASIDCap: Exec%c Priv%c, Max PASID Width: %02x\n", FLAG(w, 0x2),
	       FLAG(w, 0x4), (w >> 8) & 0x1f);
	w = get_conf_word(d, where + 6);
	printf("\t\tPASIDCtl: Enable%c Exec%c Priv%c\n", FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x4));
}

static void cap_sriov(struct pdev *d, int where)
{
	u32 l;
	u16 w;

	printf("Single Root I/O Virtualization (SR-IOV)\n");
	if (verbose < 2 || !config_fetch(d, where + 4, 0x3c))
		return;
	l = get_conf_long(d, where + 4);
	printf("\t\tIOVCap:\tMigration%c 10BitTagReq%c Interrupt Message Number: %03x\n",
	       FLAG(l, 0x1), FLAG(l, 0x4), l >> 21);
	w = get_conf_word(d, where + 8);
	printf("\t\tIOVCtl:\tEnable%c Migration%c Interrupt%c MSE%c ARIHierarchy%c 10BitTagReq%c\n",
	       FLAG(w, 0x1), FLAG(w, 0x2), FLAG(w, 0x4), FLAG(w, 0x8), FLAG(w, 0x10),
	       FLAG(w, 0x20));
	w = get_conf_word(d, where + 10);
	printf("\t\tIOVSta:\tMigration%c\n", FLAG(w, 0x1));
	printf("\t\tInitial VFs: %d, ", get_conf_word(d, where + 12));
	printf("Total VFs: %d, ", get_conf_word(d, where + 14));
	printf("Number of VFs: %d, ", get_conf_word(d, where + 16));
	printf("Function Dependency Link: %02x\n", get_conf_byte(d, where + 18));
	printf("\t\tVF offset: %d, ", get_conf_word(d, where + 20));
	printf("stride: %d, ", get_conf_word(d, where + 22));
	printf("Device ID: %04x\n", get_conf_word(d, where + 26));
	printf("\t\tSupported Page Size: %08x, ", get_conf_long(d, where + 28));
	printf("System Page Size: %08x\n", get_conf_long(d, where + 32));
	for (int i = 0; i < 6; i++) {
		u32 addr;
		int type;

		l = get_conf_long(d, where + 36 + 4 * i);
		if (l == 0xffffffff)
			l = 0;
		if (!l)
			continue;
		printf("\t\tRegion %d: Memory at ", i);
		addr = l & ~0xfu;
		type = l & PCI_BASE_ADDRESS_MEM_TYPE_MASK;
		if (type == PCI_BASE_ADDRESS_MEM_TYPE_64) {
			i++;
			printf("%08x", get_conf_long(d, where + 36 + 4 * i));
		}
		printf("%08x (%s-bit, %sprefetchable)\n", addr,
		       type == PCI_BASE_ADDRESS_MEM_TYPE_32 ? "32" : "64",
		       (l & PCI_BASE_ADDRESS_MEM_PREFETCH) ? "" : "non-");
	}
	l = get_conf_long(d, where + 60);
	printf("\t\tVF Migration: offset: %08x, BIR: %x\n", l & ~7u, l & 7);
}

static void cap_evendor(struct pdev *d, int where)
{
	u32 hdr;

	printf("Vendor Specific Information: ");
	if (!config_fetch(d, where + 4, 4)) {
		printf("<unreadable>\n");
		return;
	}
	hdr = get_conf_long(d, where + 4);
	printf("ID=%04x Rev=%d Len=%03x <?>\n", hdr & 0xffff, (hdr >> 16) & 0xf, hdr >> 20);
}

static void cap_dvsec(struct pdev *d, int where)
{
	u32 hdr;
	u16 id;

	printf("Designated Vendor-Specific: ");
	if (!config_fetch(d, where + 4, 6)) {
		printf("<unreadable>\n");
		return;
	}
	hdr = get_conf_long(d, where + 4);
	id = get_conf_word(d, where + 8);
	printf("Vendor=%04x ID=%04x Rev=%d Len=%d", hdr & 0xffff, id, (hdr >> 16) & 0xf, hdr >> 20);
	printf("\n");
}

/* Walks the extended capability list; type is the Express port type. */
void show_ext_caps(struct pdev *d, int type)
{
	static char been_there[0x1000];
	int where = 0x100;

	memset(been_there, 0, sizeof(been_there));
	do {
		u32 header;
		int id, version;

		if (!config_fetch(d, where, 4))
			break;
		header = get_conf_long(d, where);
		if (!header || header == 0xffffffff)
			break;
		id = header & 0xffff;
		version = (header >> 16) & 0xf;
		printf("\tCapabilities: [%03x", where);
		if (verbose > 1)
			printf(" v%d", version);
		printf("] ");
		if (been_there[where]++) {
			printf("<chain looped>\n");
			break;
		}
		switch (id) {
		case 0x00:
			printf("Null\n");
			break;
		case 0x01:
			cap_aer(d, where, type);
			break;
		case 0x1d:
			cap_dpc(d, where);
			break;
		case 0x02:
		case 0x09:
			printf("Virtual Channel\n");
			break;
		case 0x03:
			cap_dsn(d, where);
			break;
		case 0x04:
			printf("Power Budgeting <?>\n");
			break;
		case 0x05:
			printf("Root Complex Link\n");
			break;
		case 0x06:
			printf("Root Complex Internal Link <?>\n");
			break;
		case 0x07:
			printf("Root Complex Event Collector Endpoint Association\n");
			break;
		case 0x08:
			printf("Multi-Function Virtual Channel <?>\n");
			break;
		case 0x0a:
			printf("Root Complex Register Block <?>\n");
			break;
		case 0x0b:
			cap_evendor(d, where);
			break;
		case 0x0d:
			cap_acs(d, where);
			break;
		case 0x0e:
			cap_ari(d, where);
			break;
		case 0x0f:
			cap_ats(d, where);
			break;
		case 0x10:
			cap_sriov(d, where);
			break;
		case 0x11:
			printf("Multi-Root I/O Virtualization <?>\n");
			break;
		case 0x12:
			printf("Multicast\n");
			break;
		case 0x13:
			cap_pri(d, where);
			break;
		case 0x16:
			printf("Dynamic Power Allocation <?>\n");
			break;
		case 0x17:
			cap_tph(d, where);
			break;
		case 0x18:
			cap_ltr(d, where);
			break;
		case 0x19:
			cap_sec(d, where);
			break;
		case 0x1a:
			printf("Protocol Multiplexing <?>\n");
			break;
		case 0x1b:
			cap_pasid(d, where);
			break;
		case 0x1c:
			printf("LN Requester <?>\n");
			break;
		case 0x1e:
			printf("L1 PM Substates\n");
			break;
		case 0x1f:
			printf("Precision Time Measurement\n");
			break;
		case 0x20:
			printf("PCI Express over M_PHY <?>\n");
			break;
		case 0x21:
			printf("FRS Queueing <?>\n");
			break;
		case 0x22:
			printf("Readiness Time Reporting <?>\n");
			break;
		case 0x23:
			cap_dvsec(d, where);
			break;
		case 0x25:
			printf("Data Link Feature <?>\n");
			break;
		case 0x26:
			printf("Physical Layer 16.0 GT/s <?>\n");
			break;
		case 0x27:
			printf("Lane Margining at the Receiver <?>\n");
			break;
		case 0x28:
			printf("Hierarchy ID <?>\n");
			break;
		case 0x29:
			printf("Native PCIe Enclosure Management <?>\n");
			break;
		default:
			printf("Extended Capability ID %#02x\n", id);
		}
		where = (header >> 20) & ~3;
	} while (where);
}
