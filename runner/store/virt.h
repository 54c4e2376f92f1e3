/* virt.h - whether the runner runs in a virtual machine, which hypervisor, and whether the
 * guest's CPU is real (KVM, Hyper-V, ...) or emulated (QEMU's TCG), for run.json's platform:
 * a timing measured in a guest is the guest's, and the run must say so.  Every fact comes from
 * something the guest can read (the CPUID hypervisor leaf, /proc/cpuinfo, DMI); nothing is
 * guessed, and what cannot be read is null. */
#ifndef IPCPROBE_VIRT_H
#define IPCPROBE_VIRT_H

#include <jansson.h>

/* Add to the platform object: "virtual_machine" (true, false, or null when nothing could be
 * read either way), "hypervisor" (e.g. "KVM", "QEMU TCG"; null when none is known),
 * "cpu_execution" ("hardware virtualization (KVM)", "emulated (QEMU TCG)", null when unknown),
 * "virt_evidence" (what decided, as one sentence), and in a VM "vm_vcpus" and
 * "vm_memory_bytes" (the guest's online CPUs and RAM; null outside a VM). */
void virt_add_facts(json_t *platform);

/* The parts, for the unit tests. */
struct virt_sig {
	const char *name;	/* "KVM" */
	const char *execution;	/* "hardware virtualization (KVM)", or NULL when not known */
};
/* What the 12-byte CPUID leaf 0x40000000 signature (EBX, ECX, EDX) names; NULL if unknown. */
const struct virt_sig *virt_signature(const char sig[12]);
/* Does a /proc/cpuinfo text list the "hypervisor" CPU flag (x86)? 1, 0, or -1 when the text
 * has no flags line at all (another architecture: no evidence either way). */
int virt_cpuinfo_hypervisor(const char *cpuinfo);
/* The hypervisor a DMI system vendor / product name belongs to ("QEMU", "VMware", ...), or
 * NULL for one not known as virtual (a physical machine's vendor). */
const char *virt_dmi_hypervisor(const char *sys_vendor, const char *product_name);

#endif
