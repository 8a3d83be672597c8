/*
 * RSP packet framing: $payload#cc with a two-digit hex checksum (sum of
 * the payload bytes mod 256), acknowledged with + or rejected with -
 * until QStartNoAckMode.  The parser takes one byte at a time, so the
 * link can be read in any chunking; it drops a packet whose checksum is
 * wrong (sending -) or whose payload is longer than PKT_MAX (also -, at
 * its end: a length never overruns the buffer), and ignores bytes between
 * packets except ^C (0x03), the interrupt request.  Binary payloads (X,
 * qXfer replies) escape $ # } * as } followed by the byte XOR 0x20.
 */
#include <string.h>
#include "gdbserver.h"

enum { ST_IDLE, ST_DATA, ST_CS1, ST_CS2 };

int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint64_t parse_hex(const char **p, bool *ok)
{
	uint64_t v = 0;
	int n = 0, d;

	while ((d = hexval((unsigned char)**p)) >= 0) {
		if (n++ >= 16)
			*ok = false;	/* more than 64 bits */
		v = v << 4 | (uint64_t)d;
		(*p)++;
	}
	if (!n)
		*ok = false;
	return v;
}

void to_hex(char *out, const void *buf, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = buf;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = 0;
}

int from_hex(void *out, const char *hex, size_t n)
{
	uint8_t *b = out;

	for (size_t i = 0; i < n; i++) {
		int hi = hexval((unsigned char)hex[2 * i]), lo;

		if (hi < 0)
			return -1;
		lo = hexval((unsigned char)hex[2 * i + 1]);
		if (lo < 0)
			return -1;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* Send raw bytes to the link: 0 or -1. */
static int raw_write(struct rsp *r, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = r->write(r->ctx, buf, n);

		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int rsp_feed(struct rsp *r, int c)
{
	int d;

	switch (r->state) {
	case ST_IDLE:
		if (c == 0x03)
			return RSP_INTERRUPT;
		if (c == '$') {
			r->state = ST_DATA;
			r->inlen = 0;
			r->sum = 0;
			r->overlong = false;
		}
		return RSP_NONE;	/* acks and noise between packets */
	case ST_DATA:
		if (c == '#') {
			r->state = ST_CS1;
			return RSP_NONE;
		}
		if (c == '$') {		/* a new packet: the old one was cut short */
			r->inlen = 0;
			r->sum = 0;
			r->overlong = false;
			return RSP_NONE;
		}
		r->sum = (uint8_t)(r->sum + c);
		if (r->inlen < PKT_MAX)
			r->in[r->inlen++] = (char)c;
		else
			r->overlong = true;
		return RSP_NONE;
	case ST_CS1:
		r->csum_hi = hexval(c);
		r->state = ST_CS2;
		return RSP_NONE;
	default:
		r->state = ST_IDLE;
		d = hexval(c);
		r->in[r->inlen] = 0;
		if (r->csum_hi < 0 || d < 0 || (uint8_t)(r->csum_hi << 4 | d) != r->sum ||
		    r->overlong) {
			if (!r->noack)
				raw_write(r, "-", 1);
			return RSP_BAD;
		}
		if (!r->noack && raw_write(r, "+", 1))
			return RSP_BAD;
		return RSP_PACKET;
	}
}

size_t rsp_unescape(char *buf, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '}' && i + 1 < len)
			buf[o++] = (char)(buf[++i] ^ 0x20);
		else
			buf[o++] = buf[i];
	}
	return o;
}

/* Frame data into r->out behind lead ('$' or '%'): the framed length. */
static size_t frame(struct rsp *r, char lead, const char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;
	uint8_t sum = 0;

	r->out[o++] = lead;
	for (size_t i = 0; i < len && o < sizeof(r->out) - 4; i++) {
		char c = data[i];

		if (c == '$' || c == '#' || c == '}' || c == '*') {
			r->out[o++] = '}';
			sum = (uint8_t)(sum + '}');
			c ^= 0x20;
		}
		r->out[o++] = c;
		sum = (uint8_t)(sum + (uint8_t)c);
	}
	r->out[o++] = '#';
	r->out[o++] = digits[sum >> 4];
	r->out[o++] = digits[sum & 15];
	return o;
}

int rsp_notify(struct rsp *r, const char *data)
{
	return raw_write(r, r->out, frame(r, '%', data, strlen(data)));
}

int rsp_send(struct rsp *r, const char *data, size_t len)
{
	size_t o = frame(r, '$', data, len);

	for (int tries = 0; tries < 10; tries++) {
		if (raw_write(r, r->out, o))
			return -1;
		if (r->noack || !r->getc)
			return 0;
		for (;;) {
			int c = r->getc(r->ctx);

			if (c < 0)
				return -1;
			if (c == '+')
				return 0;
			if (c == '-')
				break;
			/* anything else before the ack is noise */
		}
	}
	return -1;
}

int rsp_send_str(struct rsp *r, const char *s)
{
	return rsp_send(r, s, strlen(s));
}
