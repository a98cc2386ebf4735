// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A multi-function device's first function requests the BARs; probe tests the
// device's enable count before the request and again before the release
// (bnx2x_init_dev). The same test of an unchanged value decides the same way:
// atomic_read() is a model pure function, and handing &pdev->enable_cnt to
// its const parameter writes nothing.
#include <linux/module.h>
#include <linux/pci.h>

int ec_setup(struct pci_dev *pdev);

static int ec_init_dev(struct pci_dev *pdev)
{
	int rc = pci_enable_device(pdev);

	if (rc)
		return rc;
	if (atomic_read(&pdev->enable_cnt) == 1) {
		rc = pci_request_regions(pdev, "ec");
		if (rc)
			goto err_out_disable;
		pci_set_master(pdev);
	}
	rc = ec_setup(pdev);
	if (rc)
		goto err_out_release;
	return 0;

err_out_release:
	if (atomic_read(&pdev->enable_cnt) == 1)
		pci_release_regions(pdev);
err_out_disable:
	pci_disable_device(pdev);
	return rc;
}

/* Released under another test: the count may be 1 and the release skipped. */
static int ec_init_dev_other(struct pci_dev *pdev, bool shared)
{
	int rc = pci_enable_device(pdev);

	if (rc)
		return rc;
	if (atomic_read(&pdev->enable_cnt) == 1) {
		// CHECK: {{.*}}enable-count.c:[[@LINE+1]]:8: warning: PCI regions from 'pci_request_regions' are not released on every path (an error path leaks it); call 'pci_release_regions' [kernel-region-leak]
		rc = pci_request_regions(pdev, "ec");
		// CHECK: {{.*}}enable-count.c:[[@LINE+1]]:7: note: taking the false branch here
		if (rc)
			goto err_out_disable;
	}
	rc = ec_setup(pdev);
	// CHECK: {{.*}}enable-count.c:[[@LINE+1]]:6: note: taking the true branch here
	if (rc)
		goto err_out_release;
	return 0;

err_out_release:
	// CHECK: {{.*}}enable-count.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!shared)
		pci_release_regions(pdev);
err_out_disable:
	pci_disable_device(pdev);
	// CHECK: {{.*}}enable-count.c:[[@LINE+1]]:2: note: 'ec_init_dev_other' returns here with an error and the PCI regions are still held
	return rc;
}

MODULE_LICENSE("GPL");
