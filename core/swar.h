/*
 * swar.h - eight bytes at a time in a 64-bit word (SWAR), for the
 * escapers (out.c) and the event reader (event.c) where no vector unit
 * is used. Internal to core/.
 *
 * zero_bytes sets the high bit of exactly the bytes of x that are 0 (no
 * borrow crosses bytes, unlike the shorter (x - 0x01..) & ~x form), so
 * every test built on it is exact, byte by byte.
 */
#ifndef OMSEC_SWAR_H
#define OMSEC_SWAR_H

#include <stdint.h>
#include <string.h>

/* Eight copies of byte c. */
#define B8(c) (UINT64_C(0x0101010101010101) * (c))

static inline uint64_t
zero_bytes(uint64_t x)
{
	return ~(((x & B8(0x7f)) + B8(0x7f)) | x | B8(0x7f));
}

/* Eight bytes at p, the first in the lowest bits whatever the byte order. */
static inline uint64_t
load_le64(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* The high bit of each byte of x that TSV escapes: below 0x20 (the tab
 * among them), backslash, DEL. */
static inline uint64_t
tsv_special_bits8(uint64_t x)
{
	return zero_bytes(x & B8(0xe0)) | zero_bytes(x ^ B8('\\')) |
	    zero_bytes(x ^ B8(0x7f));
}

#endif
