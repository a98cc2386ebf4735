// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// ISA probes that use memory or ports as a module parameter says, and
// release on the error path by testing that parameter again: a path that
// requested the memory region cannot take the port branch at the label.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/ioport.h>
#include <linux/io.h>

#define DRV_NAME	"isa_can"
#define IOSIZE		0x20
#define MAXDEV		8

static unsigned long mem[MAXDEV];
static unsigned long port[MAXDEV];
module_param_hw_array(mem, ulong, iomem, NULL, 0444);
module_param_hw_array(port, ulong, ioport, NULL, 0444);

int isa_can_register(struct device *dev, void __iomem *base, unsigned long io);

static int isa_can_probe(struct platform_device *pdev)
{
	int idx = pdev->id;
	void __iomem *base = NULL;
	int err;

	if (mem[idx]) {
		if (!request_mem_region(mem[idx], IOSIZE, DRV_NAME))
			return -EBUSY;
		base = ioremap(mem[idx], IOSIZE);
		if (!base) {
			err = -ENOMEM;
			goto exit_release;
		}
	} else {
		if (!request_region(port[idx], IOSIZE, DRV_NAME))
			return -EBUSY;
	}

	err = isa_can_register(&pdev->dev, base, port[idx]);
	if (err)
		goto exit_unmap;
	return 0;

exit_unmap:
	if (mem[idx])
		iounmap(base);
exit_release:
	if (mem[idx])
		release_mem_region(mem[idx], IOSIZE);
	else
		release_region(port[idx], IOSIZE);
	return err;
}

/* The same shape with the port release forgotten. */
static int isa_can_probe_one(struct platform_device *pdev)
{
	int idx = pdev->id;
	void __iomem *base = NULL;
	int err;

	if (mem[idx]) {
		if (!request_mem_region(mem[idx], IOSIZE, DRV_NAME))
			return -EBUSY;
		base = ioremap(mem[idx], IOSIZE);
		if (!base) {
			err = -ENOMEM;
			goto exit_release;
		}
	} else {
		// CHECK: {{.*}}correlated.c:[[@LINE+2]]:8: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
		// CHECK: {{.*}}correlated.c:[[@LINE+1]]:7: note: taking the false branch here
		if (!request_region(port[idx], IOSIZE, DRV_NAME))
			return -EBUSY;
	}

	err = isa_can_register(&pdev->dev, base, port[idx]);
	// CHECK: {{.*}}correlated.c:[[@LINE+1]]:6: note: taking the true branch here
	if (err)
		goto exit_unmap;
	return 0;

exit_unmap:
	// CHECK: {{.*}}correlated.c:[[@LINE+1]]:6: note: taking the false branch here
	if (mem[idx])
		iounmap(base);
exit_release:
	// CHECK: {{.*}}correlated.c:[[@LINE+1]]:6: note: taking the false branch here
	if (mem[idx])
		release_mem_region(mem[idx], IOSIZE);
	// CHECK: {{.*}}correlated.c:[[@LINE+1]]:2: note: 'isa_can_probe_one' returns here with an error and the I/O port region is still held
	return err;
}

static struct platform_driver isa_can_driver = {
	.probe = isa_can_probe,
	.driver = { .name = DRV_NAME },
};
module_platform_driver(isa_can_driver);
MODULE_LICENSE("GPL");
