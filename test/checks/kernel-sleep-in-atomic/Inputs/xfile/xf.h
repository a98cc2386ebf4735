/* A driver in three files: the IRQ handler and the ops table in xf_main.c,
 * the hardware helpers in xf_hw.c, the mailbox in xf_mbox.c. */
#include <linux/types.h>

struct xf_priv;

int xf_hw_ack(struct xf_priv *p);
int xf_hw_ack_fast(struct xf_priv *p);
u32 xf_hw_status(struct xf_priv *p);
int xf_mbox_send(struct xf_priv *p, u32 msg);
int xf_hw_reset(struct xf_priv *p);
void xf_hw_reset_fast(struct xf_priv *p);
