/*
 * gdbserver-akaros: GDB's remote serial protocol (RSP) over a serial line
 * or stdio, serving one process through the kernel's debugging files
 * (docs/debugging.md).  Layers:
 *   rsp.c     packet framing: checksums, acks, escapes; a byte-at-a-time
 *             parser that rejects bad checksums and overlong packets
 *   server.c  the protocol: one handler per packet, all-stop stop replies
 *   regs.c    gdb's amd64 register numbering over Linux's user_regs_struct
 *             and the FXSAVE image, and the target description XML
 *   target.c  the kernel side: /proc/PID/{ctl,dbg,mem}, task/TID/regs
 *   mcp.c     an MCP's uthreads and vcores as threads (parlib's descriptor)
 *   monitor.c qRcmd: the monitor commands (help, vcores, uthreads, exit)
 *   multi.c   extended-remote (--multi): vRun, vAttach, vKill, D;PID, and
 *             the state with no process; multiprocess thread ids pPID.TID
 *   hostio.c  vFile: gdb reading the target's files (setfs, open, pread,
 *             close, fstat, readlink)
 *   main.c    the command line (GNU gdbserver's), starting or attaching
 * The server reaches the process only through struct target_ops, so a
 * different thread model (an MCP's uthreads and vcores) plugs in as
 * another thread-list provider, and the fuzz harness drives the whole
 * protocol against a fake target.
 */
#ifndef GDBSERVER_H
#define GDBSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <abi/ptrace.h>

#define PKT_MAX		0x4000		/* PacketSize we announce (payload bytes) */
#define MAX_THREADS	1024
#define NSWBP		256		/* software breakpoints */
#define NS_QUEUE	256		/* non-stop stop replies waiting for vStopped */

/* The link to gdb (main.c): a serial line or stdio, read through a buffer. */
struct link {
	int in, out;
	uint8_t buf[4096];
	size_t pos, len;
};
/* Next byte from the link (blocking), -1 at its end. */
int link_getc(void *l);
/* Write to the link: bytes or -1. */
ssize_t link_write(void *l, const void *buf, size_t n);
/* Consume what the link holds now without blocking: true if it held a ^C. */
bool link_take_interrupt(struct link *l);

/* Packet framing (rsp.c). */
struct rsp {
	ssize_t (*write)(void *ctx, const void *buf, size_t n);	/* the link */
	int (*getc)(void *ctx);		/* next byte of the link, -1 at its end */
	void *ctx;
	bool noack;			/* QStartNoAckMode accepted */
	int state;			/* parser state */
	char in[PKT_MAX + 1];		/* payload of the packet being read, NUL-terminated */
	size_t inlen;
	bool overlong;			/* payload exceeded PKT_MAX: rejected at its end */
	uint8_t sum;			/* running checksum */
	int csum_hi;			/* first checksum digit */
	char out[2 * PKT_MAX + 8];	/* framed reply */
};

enum { RSP_NONE, RSP_PACKET, RSP_INTERRUPT, RSP_BAD };

/* Feed one received byte: RSP_PACKET (r->in holds it), RSP_INTERRUPT (^C), RSP_BAD, RSP_NONE. */
int rsp_feed(struct rsp *r, int c);
/* Send a packet (escaping as needed) and wait for its ack unless noack: 0 or -1 (link gone). */
int rsp_send(struct rsp *r, const char *data, size_t len);
/* Send a notification (%NAME:DATA framing, never acked): 0 or -1. */
int rsp_notify(struct rsp *r, const char *data);
/* Send a NUL-terminated packet. */
int rsp_send_str(struct rsp *r, const char *s);
/* Undo '}' escapes of binary data in place; the new length. */
size_t rsp_unescape(char *buf, size_t len);
/* Hex digit value, -1 if c is none. */
int hexval(int c);
/* Parse hex at *p up to a non-hex character: the value; *p moved; -1 ok flag via *ok. */
uint64_t parse_hex(const char **p, bool *ok);
/* n bytes as hex into out (2n chars + NUL). */
void to_hex(char *out, const void *buf, size_t n);
/* 2n hex chars into n bytes: 0, -1 on a non-hex character. */
int from_hex(void *out, const char *hex, size_t n);

/* What stopped the process (target_ops.wait). */
enum stop_kind { STOP_SIGNAL, STOP_EXITED, STOP_KILLED, STOP_BREAK, STOP_STEP, STOP_WATCH,
		 STOP_HWBREAK, STOP_INTERRUPT, STOP_EXEC };

struct stop_info {
	enum stop_kind kind;
	int tid;
	int sig;			/* Linux signal (STOP_SIGNAL, STOP_KILLED) */
	int status;			/* exit code (STOP_EXITED) */
	int slot;			/* debug register slot (STOP_WATCH, STOP_HWBREAK) */
};

/* The process, as the protocol needs it. */
struct target_ops {
	int (*read_mem)(void *t, uint64_t addr, void *buf, size_t len);	/* bytes or -errno */
	int (*write_mem)(void *t, uint64_t addr, const void *buf, size_t len);
	int (*get_regs)(void *t, int tid, struct abi_user_regs *r, struct abi_user_fpregs *f);
	int (*set_regs)(void *t, int tid, const struct abi_user_regs *r,
			const struct abi_user_fpregs *f);
	/* Thread-list provider: ids into tids (at most max): count or -errno. */
	int (*threads)(void *t, int *tids, int max);
	/* Name and core of a thread: 0 or -errno. */
	int (*thread_info)(void *t, int tid, char *name, size_t n, int *core);
	/* Hardware slot: rw 0 exec, 1 write, 3 access; rw -1 clears. */
	int (*set_hw)(void *t, int slot, uint64_t addr, int rw, int len);
	/* Let thread tid go (0: every thread), stepping or delivering sig. */
	int (*resume)(void *t, int tid, bool step, int sig);
	/* Wait for a stop, or a ^C on the link; then every thread is stopped.  0 or -1. */
	int (*wait)(void *t, struct link *link, struct stop_info *si);
	/* Stop every thread now. */
	int (*stop)(void *t);
	int (*detach)(void *t);
	int (*kill)(void *t);
	/* Path of the executable into buf: length or -errno. */
	int (*exec_file)(void *t, char *buf, size_t n);
	/* The auxiliary vector (/proc/PID/auxv) into buf: length or -errno. */
	int (*auxv)(void *t, void *buf, size_t n);
	/* Text of monitor command cmd ("vcores", "uthreads") into out: length, -ENOENT if unknown. */
	int (*monitor)(void *t, const char *cmd, char *out, size_t n);
	/* Non-stop (nonstop.c): stop thread tid alone: 0 or -errno. */
	int (*stop_thread)(void *t, int tid);
	/* Non-stop: the next event, not waiting or stopping others: 1 (si set), 0 none, -1. */
	int (*next_event)(void *t, struct stop_info *si);
	/* The fd that polls readable when an event waits, -1 if none. */
	int (*event_fd)(void *t);
	/* Non-stop mode on or off: an event then stops only its own thread. */
	void (*set_nonstop)(void *t, bool on);
};

struct swbp {
	uint64_t addr;
	uint8_t orig;
	bool used;
};

struct hwslot {
	uint64_t addr;
	int type;			/* Z type 1-4, 0 = free */
	int len;
};

/* One debugging session (server.c). */
struct server {
	struct rsp *link;
	struct link *io;		/* the link's bytes (for wait), NULL in the fuzzer */
	const struct target_ops *ops;
	void *t;
	int pid;
	bool attached;			/* attached to a running process (qAttached) */
	bool extended;			/* --multi: the server outlives its processes */
	bool multiprocess;		/* thread ids are pPID.TID (qSupported, --multi only) */
	bool exit_requested;		/* monitor exit: quit once the reply is sent */
	bool has_process;		/* a process is attached (always, unless extended) */
	/* --multi (main.c): start argv, or attach to pid, as the session's process: 0 or -errno. */
	int (*spawn)(struct server *s, char **argv);
	int (*attach_pid)(struct server *s, int pid);
	/* The process is over (exited, killed, detached): release the target. */
	void (*release)(struct server *s);
	int gthread, cthread;		/* Hg and Hc selections (0 = any, -1 = all) */
	struct stop_info last;		/* for '?' */
	bool done;			/* the session is over (detach, kill, exit) */
	struct swbp bp[NSWBP];
	struct hwslot hw[4];
	/* Non-stop mode (nonstop.c). */
	bool nonstop;			/* QNonStop:1 */
	bool notif_pending;		/* a %Stop was sent; gdb drains queue with vStopped */
	struct stop_info queue[NS_QUEUE];	/* stops not yet acknowledged, first = notified */
	int nqueue;
	int stopped[MAX_THREADS];	/* threads stopped (known to gdb as stopped) */
	int nstopped;
	uint64_t removed[8];		/* breakpoints removed lately: a late int3 hit is spurious */
	int nremoved;
};

/* Handle one packet (s->link->in): reply sent; 0, or -1 when the link is gone. */
int server_packet(struct server *s, char *pkt, size_t len);
/* The stop reply for si as text into buf (len bytes). */
void stop_reply_text(const struct server *s, const struct stop_info *si, char *buf, size_t len);
/* Send the stop reply for si (and remember it for '?'). */
int server_stop_reply(struct server *s, const struct stop_info *si);
/* A thread id at *p ("TID", "-1", "pPID.TID", "pPID", "pPID.-1"): the tid, -1 all, 0 any; *p moved.
 * false if malformed or naming a process other than s->pid. */
bool parse_thread(struct server *s, const char **p, int *tid);
/* tid as the protocol writes it (pPID.TID when multiprocess) into buf. */
void fmt_thread(const struct server *s, char *buf, size_t n, int tid);
/* Take out every breakpoint and watchpoint we inserted (before a detach or kill). */
void server_remove_all(struct server *s);
/* qRcmd,HEX (monitor.c): output as O packets, then the reply; 0 or -1 (link gone). */
int server_monitor(struct server *s, const char *hex);
/* Non-stop packets (nonstop.c): QNonStop, vStopped, vCont, '?' while non-stop; 1 if pkt is
 * none of them (or non-stop is off), else 0 or -1 (link gone). */
int nonstop_packet(struct server *s, char *pkt);
/* Non-stop: take the target's events and notify gdb (%Stop): 0 or -1 (link gone). */
int nonstop_events(struct server *s);
/* A software breakpoint at addr was removed (for spurious late hits). */
void nonstop_bp_removed(struct server *s, uint64_t addr);
/* vFile packets (hostio.c): 1 if pkt is not one, else 0 or -1 (link gone). */
int hostio_packet(struct server *s, const char *pkt);
/* Extended-remote packets (multi.c): 1 if pkt is not one of them, else 0 or -1 (link gone). */
int multi_packet(struct server *s, char *pkt);
/* The process is over in extended mode: forget its breakpoints and selections. */
void multi_forget(struct server *s);
/* Linux signal number to GDB's. */
int gdb_signal(int linux_sig);
/* GDB's signal number to Linux's (0 if none). */
int linux_signal(int gdb_sig);

/* Registers (regs.c). */
#define NREGS		60		/* rax..gs_base in the target description's order */
/* Size in bytes of register n, 0 if none. */
int reg_size(int n);
/* Register n of (r, f) into out (reg_size bytes). */
void reg_get(int n, const struct abi_user_regs *r, const struct abi_user_fpregs *f, uint8_t *out);
/* Store register n from in. */
void reg_set(int n, struct abi_user_regs *r, struct abi_user_fpregs *f, const uint8_t *in);
/* The target description XML named annex ("target.xml", ...), NULL if none. */
const char *tdesc_xml(const char *annex);

#endif
