/* virt.c - see virt.h.  Three witnesses, strongest first: the CPUID hypervisor leaf (x86 only:
 * its 12-byte signature names the hypervisor, and QEMU's TCG emulator has its own, so it also
 * tells hardware virtualization from emulation), the "hypervisor" flag in /proc/cpuinfo, and
 * the DMI system vendor (/sys/class/dmi/id, any architecture with firmware tables). */
#include "store/virt.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__has_include)
#if __has_include(<cpuid.h>)
#include <cpuid.h>
#define VIRT_HAVE_CPUID 1
#endif
#endif

static const struct {
	char sig[13];
	struct virt_sig v;
} signatures[] = {
	{ "KVMKVMKVM\0\0\0", { "KVM", "hardware virtualization (KVM)" } },
	{ "Linux KVM Hv", { "KVM", "hardware virtualization (KVM)" } },
	{ "TCGTCGTCGTCG", { "QEMU TCG", "emulated (QEMU TCG)" } },
	{ "Microsoft Hv", { "Hyper-V", "hardware virtualization (Hyper-V)" } },
	{ "VMwareVMware", { "VMware", "hardware virtualization (VMware)" } },
	{ "XenVMMXenVMM", { "Xen", "hardware virtualization (Xen)" } },
	{ "bhyve bhyve ", { "bhyve", "hardware virtualization (bhyve)" } },
	{ "VBoxVBoxVBox", { "VirtualBox", "hardware virtualization (VirtualBox)" } },
	{ " lrpepyh  vr", { "Parallels", "hardware virtualization (Parallels)" } },
	{ "ACRNACRNACRN", { "ACRN", "hardware virtualization (ACRN)" } },
};

const struct virt_sig *virt_signature(const char sig[12])
{
	for (size_t i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++)
		if (memcmp(sig, signatures[i].sig, 12) == 0)
			return &signatures[i].v;
	return NULL;
}

int virt_cpuinfo_hypervisor(const char *cpuinfo)
{
	const char *line = cpuinfo;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *colon = memchr(line, ':', len);
		if (strncmp(line, "flags", 5) == 0 && colon) {
			/* Whole words only: "hypervisor" must not match inside another flag. */
			const char *p = colon + 1;
			while (p < line + len) {
				p += strspn(p, " \t");
				size_t w = strcspn(p, " \t\n");
				if (w == 10 && strncmp(p, "hypervisor", 10) == 0)
					return 1;
				p += w;
			}
			return 0;
		}
		line = end ? end + 1 : NULL;
	}
	return -1;
}

const char *virt_dmi_hypervisor(const char *sys_vendor, const char *product_name)
{
	static const struct {
		const char *vendor, *product, *name; /* product NULL: any */
	} known[] = {
		{ "QEMU", NULL, "QEMU" },
		{ "innotek GmbH", NULL, "VirtualBox" },
		{ "VMware, Inc.", NULL, "VMware" },
		{ "Xen", NULL, "Xen" },
		{ "Microsoft Corporation", "Virtual Machine", "Hyper-V" },
		{ "Parallels Software International Inc.", NULL, "Parallels" },
		{ "Amazon EC2", NULL, "Amazon EC2" },
		{ "Google", "Google Compute Engine", "Google Compute Engine" },
		{ "BHYVE", NULL, "bhyve" },
	};
	for (size_t i = 0; sys_vendor && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(sys_vendor, known[i].vendor) == 0 &&
		    (!known[i].product || (product_name && !strcmp(product_name, known[i].product))))
			return known[i].name;
	return NULL;
}

/* The first line of a small file, without its newline; 0 when unreadable or empty. */
static int first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok = f && fgets(buf, (int)len, f) && buf[0] != '\n';
	if (f)
		fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* The CPUID hypervisor signature into sig[12]; 0 when there is no CPUID, or CPUID.1:ECX bit
 * 31 ("a hypervisor is present") is clear, in which case leaf 0x40000000 means nothing. */
static int cpuid_signature(char sig[12])
{
#ifdef VIRT_HAVE_CPUID
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return 0;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	return 1;
#else
	(void)sig;
	return 0;
#endif
}

/* The guest's RAM: MemTotal of /proc/meminfo (what the kernel manages, as free(1) shows it),
 * else the physical pages sysconf counts. */
static json_t *memory_bytes(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long long kib;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1) {
			fclose(f);
			return json_integer((json_int_t)(kib * 1024));
		}
	if (f)
		fclose(f);
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	return pages > 0 && page > 0 ? json_integer((json_int_t)pages * page) : json_null();
}

static int cpuinfo_flag(void)
{
	static char text[1 << 16];
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return -1;
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return virt_cpuinfo_hypervisor(text);
}

void virt_add_facts(json_t *platform)
{
	char sig[13] = "", vendor[128] = "", product[128] = "", evidence[512] = "";
	const struct virt_sig *s = NULL;
	const char *dmi = NULL;
	int vm = -1; /* unknown */
	if (cpuid_signature(sig)) {
		vm = 1;
		s = virt_signature(sig);
		for (int i = 0; i < 12; i++) /* printable, for the evidence */
			sig[i] = sig[i] >= 0x20 && sig[i] < 0x7f ? sig[i] : '.';
		snprintf(evidence, sizeof(evidence), "CPUID leaf 0x40000000 \"%s\"; ", sig);
	}
	int flag = cpuinfo_flag();
	if (flag >= 0) {
		vm = vm == 1 || flag == 1;
		size_t e = strlen(evidence);
		snprintf(evidence + e, sizeof(evidence) - e, "/proc/cpuinfo %s the hypervisor flag; ",
			 flag ? "has" : "lacks");
	}
	if (first_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor))) {
		first_line("/sys/class/dmi/id/product_name", product, sizeof(product));
		dmi = virt_dmi_hypervisor(vendor, product);
		vm = vm == 1 || dmi;
		size_t e = strlen(evidence);
		snprintf(evidence + e, sizeof(evidence) - e, "DMI \"%s\" / \"%s\"; ", vendor, product);
	}
	evidence[strlen(evidence) >= 2 ? strlen(evidence) - 2 : 0] = '\0';
	json_object_set_new(platform, "virtual_machine", vm < 0 ? json_null() : json_boolean(vm));
	const char *name = s ? s->name : sig[0] ? sig : dmi;
	json_object_set_new(platform, "hypervisor", vm == 1 && name ? json_string(name) : json_null());
	json_object_set_new(platform, "cpu_execution",
			    vm == 0 ? json_string("native") :
			    s && s->execution ? json_string(s->execution) : json_null());
	json_object_set_new(platform, "virt_evidence",
			    evidence[0] ? json_string(evidence) : json_null());
	json_object_set_new(platform, "vm_vcpus",
			    vm == 1 ? json_integer(sysconf(_SC_NPROCESSORS_ONLN)) : json_null());
	json_object_set_new(platform, "vm_memory_bytes", vm == 1 ? memory_bytes() : json_null());
}
