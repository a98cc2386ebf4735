// RUN: %kdlint-kbuild --checks=-*,kernel-kmap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// FCoE transmit paths write the CRC and EOF trailer either into the last page
// fragment (mapped) or into the linear area, and test which one twice with
// skb_is_nonlinear(skb) (drivers/scsi/bnx2fc/bnx2fc_fcoe.c, fcoe.c, qedf):
// the same pure test of the same skb has the same answer, so the fragment
// mapped under the first is unmapped under the second.
#include <linux/module.h>
#include <linux/highmem.h>
#include <linux/skbuff.h>
#include <linux/string.h>

struct trailer {
	__le32 crc;
	u8 eof;
	u8 resvd[3];
};

static int fill_trailer(struct sk_buff *skb, u32 crc, u8 eof)
{
	struct trailer *cp;

	if (skb_is_nonlinear(skb)) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[skb_shinfo(skb)->nr_frags - 1];

		cp = kmap_atomic(skb_frag_page(frag)) + skb_frag_off(frag);
	} else {
		cp = skb_put(skb, sizeof(*cp));
	}
	memset(cp, 0, sizeof(*cp));
	cp->crc = cpu_to_le32(~crc);
	cp->eof = eof;
	if (skb_is_nonlinear(skb)) {
		kunmap_atomic(cp);
		cp = NULL;
	}
	return 0;
}

/* The second test is of another skb: nothing says it has the same answer. */
static int fill_trailer_other(struct sk_buff *skb, struct sk_buff *orig, u32 crc)
{
	struct trailer *cp;

	if (skb_is_nonlinear(skb)) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[0];

		// CHECK: {{.*}}same-test.c:[[@LINE+1]]:8: warning: kmap_atomic() mapping from 'kmap_atomic' is not unmapped on every path; call 'kunmap_atomic' [kernel-kmap-leak]
		cp = kmap_atomic(skb_frag_page(frag)) + skb_frag_off(frag);
	} else {
		cp = skb_put(skb, sizeof(*cp));
	}
	cp->crc = cpu_to_le32(~crc);
	// CHECK: {{.*}}same-test.c:[[@LINE+1]]:6: note: taking the false branch here
	if (skb_is_nonlinear(orig))
		kunmap_atomic(cp);
	// CHECK: {{.*}}same-test.c:[[@LINE+1]]:2: note: 'fill_trailer_other' returns here and the kmap_atomic() mapping is still mapped
	return 0;
}

MODULE_LICENSE("GPL");
